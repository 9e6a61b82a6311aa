#!/usr/bin/env bash
# Dry run of the release (JReleaser): stages the published modules as the release version (the current version
# without -SNAPSHOT), checks the metadata Maven Central requires in every published POM, signs the artifacts with a
# throwaway key and goes through JReleaser's full release (Maven Central upload, GitHub release with the CHANGELOG)
# without sending anything.
#
#   scripts/release-dry-run.sh        (the build's last module, release-dry-run, runs it at `verify`;
#                                      -Drelease.dryRun.skip=true leaves it out)
#
# Why a throwaway clone: JReleaser reads the git repository (HEAD and the `origin` remote) through JGit, which cannot
# open a `git worktree` checkout and refuses a clone without a GitHub remote; and it validates that a signing key and
# the upload credentials are set even in a dry run. So this script works on a clone of HEAD (with the project's GitHub
# URL as origin; uncommitted changes of the POMs, jreleaser.yml and CHANGELOG.md are copied in), a throwaway GPG key
# and placeholder credentials, all in a temporary directory; nothing leaves the machine and no real credential is
# read. Needs git, gpg (installed from Debian's packages when missing) and Maven (dependencies come from the local
# repository or Maven Central). Never installs into the local Maven repository.
#
# A real release runs the same steps on the release machine, with the version set, `mvn deploy` to
# target/staging-deploy and then `mvn -N jreleaser:full-release`, the signing key and credentials taken from its
# environment: JRELEASER_GPG_PUBLIC_KEY, JRELEASER_GPG_SECRET_KEY, JRELEASER_GPG_PASSPHRASE,
# JRELEASER_MAVENCENTRAL_USERNAME / _PASSWORD (a Central Portal token), JRELEASER_GITHUB_TOKEN.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  echo "release dry run: $ROOT is not a git checkout; JReleaser needs one (or build with -Drelease.dryRun.skip=true)" >&2
  exit 1
fi
if ! command -v gpg >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  echo "installing gnupg for the release dry run's throwaway signing key"
  $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q gnupg
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

git clone -q "$ROOT" "$WORK/repo"
# uncommitted changes of the pom files and the JReleaser config count too (the dry run checks what is checked out)
(cd "$ROOT" && git ls-files -m -o --exclude-standard -- 'pom.xml' '*/pom.xml' jreleaser.yml CHANGELOG.md) \
  | while read -r f; do mkdir -p "$WORK/repo/$(dirname "$f")"; cp "$ROOT/$f" "$WORK/repo/$f"; done
cd "$WORK/repo"
git remote set-url origin https://github.com/postpurchase/postpurchase.git
# rehearse a release, not a snapshot: the version without -SNAPSHOT, so the Maven Central deployer and its rules run
SNAPSHOT="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
RELEASE="${SNAPSHOT%-SNAPSHOT}"
find . -name pom.xml -not -path './target/*' -exec sed -i "s/<version>$SNAPSHOT<\/version>/<version>$RELEASE<\/version>/" {} +
git -c user.name=dry-run -c user.email=dry-run@postpurchase.dev commit -q -am "release $RELEASE (dry run)"

# the published modules, staged as Central wants them: jar, sources, javadoc, pom
PUBLISHED="bom,core,testing,http,webhook,email,kajabi,systemeio,jdbc,admin,micrometer,opentelemetry,spring-boot-starter"
# reproducible archives: every entry carries the release commit's time, as a real release sets it
mvn -B -q deploy -pl "$PUBLISHED" -am -DskipTests -Dmaven.install.skip=true \
  -Dproject.build.outputTimestamp="$(git log -1 --format=%cI)" \
  -DaltDeploymentRepository=staging::file:"$WORK/repo/target/staging-deploy"

# JReleaser's own POM check downloads a tool (pomchecker) from GitHub, which the build machine cannot reach, and
# pomchecker's Maven plugin needs Maven 3.9: check the metadata Central requires in every effective POM here instead
mvn -B -q -pl "$PUBLISHED" help:effective-pom -Doutput="$WORK/effective-poms.xml"
PROJECTS="$(grep -c '^  <project ' "$WORK/effective-poms.xml")"
for element in name description url licenses developers scm issueManagement; do
  found="$(grep -c "^    <$element>" "$WORK/effective-poms.xml" || true)"
  if [ "$found" != "$PROJECTS" ]; then
    echo "release dry run: <$element> is in $found of the $PROJECTS published POMs; Maven Central requires it in each" >&2
    exit 1
  fi
done
if grep -q -- '-SNAPSHOT</version>' "$WORK/effective-poms.xml"; then
  echo "release dry run: a published POM still refers to a -SNAPSHOT version" >&2
  exit 1
fi

export GNUPGHOME="$WORK/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key 'Postpurchase dry run <dry-run@postpurchase.dev>' rsa3072 sign 1d
export JRELEASER_GPG_PUBLIC_KEY="$(gpg --batch --armor --export)"
export JRELEASER_GPG_SECRET_KEY="$(gpg --batch --armor --pinentry-mode loopback --passphrase '' --export-secret-keys)"
export JRELEASER_GPG_PASSPHRASE=""
export JRELEASER_GITHUB_TOKEN="dry-run" JRELEASER_MAVENCENTRAL_USERNAME="dry-run" JRELEASER_MAVENCENTRAL_PASSWORD="dry-run"
export JRELEASER_NEXUS2_USERNAME="dry-run" JRELEASER_NEXUS2_PASSWORD="dry-run"

mvn -B -N jreleaser:full-release -Djreleaser.dry.run=true
echo "release dry run of $RELEASE passed"
