#!/usr/bin/env bash
# Runs the benchmarks of BENCHMARKS.md: each end-to-end workload in its own JVM, then JMH, then the report.
#
#   scripts/run-benchmarks.sh [--quick] [all | inmemory | postgres | webhook | backlog | definitions | staff | jmh | report
#                              | profile | cpuprofile]...
#
# Default: all (about 10 minutes on 2 cores). --quick runs tiny sizes once (a smoke test of the harness; its figures
# mean nothing). profile records JFR and thread-state samples of our PostgreSQL and webhook drains and summarises
# where the time goes (profile.txt); cpuprofile records a CPU flame graph of the in-memory webhook workload with
# async-profiler (cpu-webhook-memory.html, per-thread-group totals beside it).
# Needs the local PostgreSQL of the tests (127.0.0.1:5432, user postgres, trust auth); creates the database "bench".
# Results: benchmarks/results/*.json, summary.md, throughput.svg. Never part of `mvn verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK=0
TARGETS=()
for arg in "$@"; do
  case "$arg" in
    --quick) QUICK=1 ;;
    *) TARGETS+=("$arg") ;;
  esac
done
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(all)

OUT=benchmarks/results
[ "$QUICK" = 1 ] && OUT=benchmarks/target/quick-results
mkdir -p "$OUT"

echo "== building the benchmarks module and what it needs (package only; nothing is installed)"
rm -rf benchmarks/target/lib
mvn -B -q ${MVN_OFFLINE--o} -pl benchmarks -am package \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dspotless.check.skip=true \
  -DincludeScope=runtime -DoutputDirectory=target/lib
CP="benchmarks/target/classes:benchmarks/target/lib/*"
JAVA=(java -XX:+UseG1GC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP")

load() { echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }

run_workload() { # name, heap, args...
  local name=$1 heap=$2; shift 2
  echo "== $name (-Xmx$heap)"; load
  "${JAVA[@]}" "-Xmx$heap" dev.postpurchase.benchmarks.BenchmarkMain "$name" "out=$OUT" "$@"
}

quick_or() { # full args... -- quick args...
  local full=() quick=() seen=0
  for a in "$@"; do
    if [ "$a" = "--" ]; then seen=1; continue; fi
    if [ $seen = 0 ]; then full+=("$a"); else quick+=("$a"); fi
  done
  if [ "$QUICK" = 1 ]; then echo "${quick[@]}"; else echo "${full[@]}"; fi
}

inmemory() { run_workload inmemory 1g $(quick_or -- reps=1 orders=5000 pacedOrders=200); }
postgres() { run_workload postgres 512m $(quick_or -- reps=1 jobs=2000 latencyJobs=50); }
# one JVM per store: with both in one JVM the engine's store calls see two implementations and compile worse than
# in a deployment, which has one; each JVM measures its own plain-OkHttp baseline
webhook()  {
  rm -f "$OUT/webhook.json"
  run_workload webhook 512m stores=memory $(quick_or -- reps=1 deliveries=300)
  run_workload webhook 512m stores=postgres $(quick_or -- reps=1 deliveries=300)
}
backlog()  { run_workload backlog 256m $(quick_or -- reps=1 sizes=1000,20000 due=200 latencyJobs=50); }
definitions() { run_workload definitions 512m $(quick_or -- reps=1 orders=1000 background=100); }
staff()    { run_workload staff 512m $(quick_or -- finished=20000 samples=100); }
jmh() {
  echo "== jmh"; load
  local opts=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
  [ "$QUICK" = 1 ] && opts=(-f 1 -wi 1 -w 200ms -i 1 -r 200ms)
  "${JAVA[@]}" org.openjdk.jmh.Main "${opts[@]}" -rf json -rff "$OUT/jmh.json" 'dev.postpurchase.benchmarks.jmh.*'
}
report() {
  echo "== report"
  "${JAVA[@]}" dev.postpurchase.benchmarks.Report "$OUT"
}
profile() {
  echo "== profile: JFR and thread-state sampling of the drains (enqueue not recorded)"; load
  rm -rf "$OUT/profile"
  "${JAVA[@]}" -Xmx512m -Dbench.jfr="$OUT/profile" \
    dev.postpurchase.benchmarks.BenchmarkMain postgres "out=$OUT/profile" only=ours.1node reps=1 latencyJobs=0 \
    $(quick_or jobs=20000 -- jobs=2000)
  "${JAVA[@]}" -Xmx512m -Dbench.jfr="$OUT/profile" \
    dev.postpurchase.benchmarks.BenchmarkMain webhook "out=$OUT/profile" reps=1 $(quick_or -- deliveries=500)
  {
    for name in ours.1node webhook-memory webhook-postgres; do
      echo "# $name"
      "${JAVA[@]}" dev.postpurchase.benchmarks.JfrSummary "$OUT/profile/drain-$name.jfr"
      cat "$OUT/profile/threads-$name.txt"
      echo
    done
  } > "$OUT/profile.txt"
  echo "wrote $OUT/profile.txt"
}

# CPU profile of the in-memory webhook workload with async-profiler (from Maven Central; its 1 ms CPU sampling does
# not slow the pipeline down as JFR's "profile" settings do, which made the pipeline five times slower): a flame graph
# and per-thread-group totals. Linux x64 only.
cpuprofile() {
  echo "== cpuprofile: async-profiler over the in-memory webhook workload"; load
  local version=4.6 dir=benchmarks/target/async-profiler
  if [ ! -f "$dir/linux-x64/libasyncProfiler.so" ]; then
    mvn -B -q ${MVN_OFFLINE--o} org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
      -Dartifact=tools.profiler:async-profiler:$version -DoutputDirectory="$dir" >/dev/null
  fi
  local agent="$dir/linux-x64/libasyncProfiler.so=start,event=cpu,interval=1ms,threads"
  "${JAVA[@]}" -Xmx512m "-agentpath:$agent,file=$OUT/cpu-webhook-memory.collapsed,collapsed" \
    dev.postpurchase.benchmarks.BenchmarkMain webhook "out=$dir/run" stores=memory $(quick_or -- reps=1 deliveries=300)
  "${JAVA[@]}" -Xmx512m "-agentpath:$agent,file=$OUT/cpu-webhook-memory.html,flamegraph" \
    dev.postpurchase.benchmarks.BenchmarkMain webhook "out=$dir/run" stores=memory reps=1 warmUp=1 \
    $(quick_or -- deliveries=300) > /dev/null
  # per thread group: the plain loops run on Thread-N, the pipeline on postpurchase-*, the receiver on pool-N
  awk '{ n = $NF; split($0, frames, ";"); t = frames[1]; sub(/^\[/, "", t); sub(/ tid=.*/, "", t); gsub(/[-#]?[0-9]+$/, "", t); s[t] += n; total += n }
       END { for (t in s) printf "%8d ms %5.1f%%  %s\n", s[t], 100 * s[t] / total, t }' \
    "$OUT/cpu-webhook-memory.collapsed" | sort -rn > "$OUT/cpu-webhook-memory-threads.txt"
  rm -f "$OUT/cpu-webhook-memory.collapsed"
  echo "wrote $OUT/cpu-webhook-memory.html and $OUT/cpu-webhook-memory-threads.txt"
}

for t in "${TARGETS[@]}"; do
  case "$t" in
    all) inmemory; postgres; webhook; backlog; definitions; staff; jmh; report ;;
    inmemory|postgres|webhook|backlog|definitions|staff|jmh|report|profile|cpuprofile) "$t" ;;
    *) echo "unknown target $t" >&2; exit 2 ;;
  esac
done
load
