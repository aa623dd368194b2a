#!/usr/bin/env bash
# Runs the whole JMH suite of issue 7 and writes BENCHMARKS.md at the repository root.
#
#   mvn -B -q -DskipTests package      # once, from the repository root
#   benchmarks/run.sh                  # ~20 minutes on 2 cores
#
# Hot path (mrk-envelope vs ESDK-Java 3.0.2 vs the raw-JCA floor), P1 taken apart step by step
# (HotPathSteps), cached KMS path, failover
# latency with a blackholed Region, 1 GiB streaming decrypt under -Xmx64m, and (issue 13) local
# signature verification vs KMS Verify; then
# dev.mrkenvelope.benchmarks.Report turns JMH's JSON into BENCHMARKS.md (targets, PASS/MISS,
# machine, JDK, date, load). Extra arguments go to JMH, e.g. `benchmarks/run.sh -p size=1024`
# (the report then shows what was not run as n/a). Raw results: benchmarks/target/jmh-result.json.
# On a shared machine, BENCH_WAIT_QUIET=600 benchmarks/run.sh first waits up to 600 s for the
# 1-minute load average to fall below the number of CPUs (the report records the load either way).
# BENCH_NOTES=file.md appends a hand-written analysis (e.g. benchmarks/NOTES.md) to the report.
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
if [[ ! -f "$jar" ]]; then
  echo "run.sh: $jar not found; build it first: mvn -B -q -DskipTests package" >&2
  exit 1
fi
result=benchmarks/target/jmh-result.json
if [[ -n "${BENCH_WAIT_QUIET:-}" && -r /proc/loadavg ]]; then
  deadline=$(( $(date +%s) + BENCH_WAIT_QUIET ))
  while (( $(date +%s) < deadline )) &&
      ! awk -v n="$(nproc)" '{ exit !($1 < n) }' /proc/loadavg; do
    echo "run.sh: load average $(cut -d' ' -f1 /proc/loadavg) >= $(nproc) CPUs; waiting" >&2
    sleep 15
  done
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo n/a)
start=$(date +%s)

# One JMH invocation; -foe: a benchmark that throws fails the run instead of leaving a hole.
java -jar "$jar" 'HotPathBenchmark|PairedRatioBenchmark|HotPathSteps|CachedKmsBenchmark|FailoverBenchmark|StreamingBenchmark|SigningBenchmark' -e SdkDefaults \
  -prof dev.mrkenvelope.benchmarks.PeakHeapProfiler -prof dev.mrkenvelope.benchmarks.CpuTimeProfiler \
  -prof gc -foe true -rf json -rff "$result" "$@"

# Virtual threads need Java 21+: StormThroughput runs on BENCH_JDK21 (a java binary) or the first
# JDK 21+ under /usr/lib/jvm; its Markdown section joins the notes. Left out, saying so, without one.
storm=benchmarks/target/storm.md
jdk21="${BENCH_JDK21:-}"
if [[ -z "$jdk21" ]]; then
  for j in /usr/lib/jvm/*/bin/java; do
    v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    if [[ "${v%%.*}" =~ ^[0-9]+$ ]] && (( ${v%%.*} >= 21 )); then jdk21=$j; break; fi
  done
fi
if [[ -n "$jdk21" ]]; then
  "$jdk21" -cp "$jar" dev.mrkenvelope.benchmarks.StormThroughput "$storm"
else
  printf '\n## Virtual threads under a storm\n\nNot run: no JDK 21+ found (set BENCH_JDK21).\n' > "$storm"
fi
notes=benchmarks/target/notes.md
cat ${BENCH_NOTES:+"$BENCH_NOTES"} "$storm" > "$notes"

end=$(date +%s)
revision=$(git describe --always --dirty 2>/dev/null || echo unknown)
java -cp "$jar" dev.mrkenvelope.benchmarks.Report "$result" BENCHMARKS.md \
  --load-before "$load_before" --wall-seconds "$((end - start))" --revision "$revision" \
  --notes "$notes"
