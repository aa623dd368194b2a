#!/usr/bin/env bash
# CI smoke run: every benchmark once, with the shortest settings (40-80 s on 2 cores).
# It checks that each benchmark sets up (each set-up verifies its contender round-trips, the floor
# decrypts a real mrk-envelope message, mrk-envelope and ESDK read each other's messages) and runs;
# it exits non-zero if any benchmark throws. Never a performance gate: the numbers mean nothing.
#
#   mvn -B -q -DskipTests package && benchmarks/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

jar=benchmarks/target/benchmarks.jar
if [[ ! -f "$jar" ]]; then
  echo "smoke.sh: $jar not found; build it first: mvn -B -q -DskipTests package" >&2
  exit 1
fi
# -wi 0 -i 1 -r 200ms: one short iteration (at least one operation; one for single-shot), C1 only
# (faster start, no performance meaning), streaming on 16 MiB, signing on one EC and one RSA key.
exec java -jar "$jar" 'HotPathBenchmark|PairedRatioBenchmark|HotPathSteps|CachedKmsBenchmark|FailoverBenchmark|StreamingBenchmark|SigningBenchmark' -e SdkDefaults \
  -f 1 -wi 0 -i 1 -r 200ms -p streamMiB=16 -p algorithm=ECDSA_SHA_384,RSASSA_PSS_SHA_256 -jvmArgsPrepend -XX:TieredStopAtLevel=1 \
  -prof dev.mrkenvelope.benchmarks.PeakHeapProfiler -prof dev.mrkenvelope.benchmarks.CpuTimeProfiler \
  -foe true -rf json -rff benchmarks/target/jmh-smoke.json "$@"
