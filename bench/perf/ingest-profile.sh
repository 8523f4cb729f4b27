#!/bin/bash
# Profiles the warm runs of StoreBenchmark with perf, native code (zstd, kernel) and JIT code resolved.
#
#   bench/perf/ingest-profile.sh JAR OUTDIR [RUNS]     (root or perf_event_paranoid <= 1; ~1 min)
#   bench/perf/perf-groups.py OUTDIR [OUTDIR...]       (per-thread table in ns/row)
#
# StoreBenchmark --trades 10000000 --repeats 1 --async --ingest-runs RUNS (default 8): perf (cpu-clock, 2999 Hz, frame
# pointers) is attached after the first timed warm run is logged and stopped after the last, so it samples RUNS - 2
# timed runs (60M rows with the default). zstd-jni is loaded from a copy of its .so taken out of the jar
# (-DZstdNativePath), so perf reads its symbol table (zstd-jni otherwise loads a temporary copy that perf cannot
# read); the JVM writes /tmp/perf-PID.map at exit for the JIT code (-XX:+DumpPerfMapAtExit) and keeps frame pointers
# (-XX:+PreserveFramePointer: the writer's append is then compiled as its own method, ~5 ns/row dearer than inlined
# into the caller's loop; totals otherwise within the noise of a run without it).
set -euo pipefail
JAR=$1; OUT=$2; RUNS=${3:-8}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
mkdir -p "$OUT"
SO=$(unzip -Z1 "$JAR" | grep '^linux/amd64/libzstd-jni.*\.so$' | head -n 1)
unzip -o -q -d "$OUT" "$JAR" "$SO"
"$JAVA" --enable-native-access=ALL-UNNAMED -Xmx6g -DZstdNativePath="$OUT/$SO" \
  -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer \
  -cp "$JAR" dev.tickvault.bench.StoreBenchmark --trades 10000000 --repeats 1 --async --ingest-runs "$RUNS" \
  >"$OUT/stdout" 2>"$OUT/stderr" &
JVM=$!
state=0
while kill -0 $JVM 2>/dev/null; do
  timed=$(grep "ingest run" "$OUT/stderr" | grep -vc "warm-up" || true) # run 1, then the timed runs
  if [ $state = 0 ] && [ "$timed" -ge 2 ]; then
    perf record -e cpu-clock -F 2999 --call-graph fp -p $JVM -o "$OUT/perf.data" 2>"$OUT/perf.err" &
    PERF=$!; state=1
  elif [ $state = 1 ] && [ "$timed" -ge "$RUNS" ]; then
    kill -INT $PERF; wait $PERF || true; state=2
  fi
  sleep 0.05
done
wait $JVM
perf script -i "$OUT/perf.data" -F comm,tid,time,ip,sym,dso >"$OUT/script.txt" 2>/dev/null
echo "$(( (RUNS - 2) * 10000000 ))" >"$OUT/rows"
echo "profiled $(cat "$OUT/rows") rows: bench/perf/perf-groups.py $OUT"
