#!/usr/bin/env bash
# Dry run of the release (JReleaser): stages the published artifacts, signs them and checks them against Maven
# Central's rules, and goes through the GitHub release and Central upload steps without sending anything.
#
#   scripts/release-dry-run.sh
#
# Why a script and not part of `mvn verify`: JReleaser reads the git repository (HEAD and the `origin` remote) through
# JGit, which cannot open a `git worktree` checkout and refuses a clone without a GitHub remote; and it validates that
# a signing key and the upload credentials are set even in a dry run. So this script works on a throwaway clone of
# HEAD (with the project's GitHub URL as origin), a throwaway GPG key and placeholder credentials, all in a temporary
# directory; nothing leaves the machine and no real credential is read. Needs gpg and Maven (dependencies are
# resolved from the local repository or Maven Central). Never installs into the local Maven repository.
#
# The real release (scripts/release.sh) takes the signing key and credentials from the release machine's
# environment: JRELEASER_GPG_PUBLIC_KEY, JRELEASER_GPG_SECRET_KEY, JRELEASER_GPG_PASSPHRASE,
# JRELEASER_MAVENCENTRAL_USERNAME / _PASSWORD (a Central Portal token), JRELEASER_GITHUB_TOKEN.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

git clone -q "$ROOT" "$WORK/repo"
# uncommitted changes of the pom files and the JReleaser config count too (the dry run checks what is checked out)
(cd "$ROOT" && git ls-files -m -o --exclude-standard -- 'pom.xml' '*/pom.xml' jreleaser.yml CHANGELOG.md) \
  | while read -r f; do mkdir -p "$WORK/repo/$(dirname "$f")"; cp "$ROOT/$f" "$WORK/repo/$f"; done
cd "$WORK/repo"
git remote set-url origin https://github.com/postpurchase/postpurchase.git

# the published modules, staged as Central wants them: jar, sources, javadoc, pom
PUBLISHED="bom,core,testing,http,webhook,email,kajabi,systemeio,jdbc"
for m in micrometer opentelemetry spring-boot-starter admin; do [ -d "$m" ] && PUBLISHED="$PUBLISHED,$m"; done
mvn -B -q deploy -pl "$PUBLISHED" -am -DskipTests -Dmaven.install.skip=true \
  -DaltDeploymentRepository=staging::file:"$WORK/repo/target/staging-deploy"

export GNUPGHOME="$WORK/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Postpurchase dry run <dry-run@postpurchase.dev>' ed25519 sign 1d
export JRELEASER_GPG_PUBLIC_KEY="$(gpg --batch --armor --export)"
export JRELEASER_GPG_SECRET_KEY="$(gpg --batch --armor --pinentry-mode loopback --passphrase '' --export-secret-keys)"
export JRELEASER_GPG_PASSPHRASE=""
export JRELEASER_GITHUB_TOKEN="dry-run" JRELEASER_MAVENCENTRAL_USERNAME="dry-run" JRELEASER_MAVENCENTRAL_PASSWORD="dry-run"
export JRELEASER_NEXUS2_USERNAME="dry-run" JRELEASER_NEXUS2_PASSWORD="dry-run"

mvn -B -N jreleaser:full-release -Djreleaser.dry.run=true
echo "release dry run passed"
