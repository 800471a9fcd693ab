#!/usr/bin/env bash
# bench/run.sh - Ferry against its peers on the same objects, in one run; rewrites bench/RESULTS.md.
#
#   bench/run.sh [--runs 3] [--skip-wan] [--skip-loopback] [--kit DIR]
#
# Uses the shared benchmark kit (../shared/bench by default; --kit to point elsewhere):
#   loopback  s3proxy on 127.0.0.1, 1 GiB object, ferry / aria2c / rclone with 8 connections, 8 MiB parts,
#             downloads to /dev/shm; reports time, client CPU and peak RSS
#   copy      server-side copy of the same 1 GiB object: ferry copy vs aws s3 cp --copy-props none (bench/copy.sh)
#   wan       the kit's WAN simulation (RTT 50 ms, ~20 MB/s per connection; needs root for namespaces),
#             1 GiB object, ferry vs aria2c -x8 -s8
# Benchmarks are not tests: they print ratios of medians measured in the same run.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
RUNS=3; WAN=1; LOOP=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2;; --skip-wan) WAN=0; shift;; --skip-loopback) LOOP=0; shift;;
    --kit) KIT=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -x "$KIT/peers.sh" ] || { echo "benchmark kit not found at $KIT (use --kit DIR)" >&2; exit 2; }
export BENCH_STATE=${BENCH_STATE:-/tmp/ferry-bench}
source "$KIT/env.sh"

JAR=$ROOT/target/ferry.jar
if [ ! -s "$JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
FERRY="java -jar $JAR"
OUT=$BENCH_STATE/results; mkdir -p "$OUT"
REPORT=$OUT/report.md; : > "$REPORT"
section() { printf '\n### %s\n\n```\n' "$1" >> "$REPORT"; }
endsection() { printf '```\n' >> "$REPORT"; }

if [ "$LOOP" = 1 ]; then
  "$KIT/start-s3.sh" --port 18041 >/dev/null
  "$KIT/make-object.sh" --endpoint http://127.0.0.1:18041 --bucket bench --key obj1g.bin --size 1G >/dev/null
  section "Loopback, 1 GiB, 8 connections, 8 MiB parts, $RUNS runs"
  "$KIT/peers.sh" --endpoint http://127.0.0.1:18041 --bucket bench --key obj1g.bin --runs "$RUNS" \
      --tools aria2c,rclone --streams 8 --chunk 8M --ferry "$FERRY" --ratio-vs rclone --verify \
      --idle-wait 30 --dest /dev/shm/ferry-bench-dl --label "loopback 1GiB x8" \
      --csv "$OUT/loopback.csv" | tee -a "$REPORT"
  endsection
  section "Server-side copy on loopback, 1 GiB: ferry copy vs aws s3 cp --copy-props none, $RUNS runs"
  "$HERE/copy.sh" --endpoint http://127.0.0.1:18041 --bucket bench --key obj1g.bin --runs "$RUNS" \
      --ferry "$FERRY" | tee -a "$REPORT"
  endsection
fi

if [ "$WAN" = 1 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "skipping the WAN simulation: it needs root for network namespaces" | tee -a "$REPORT"
  else
    "$KIT/netns-setup.sh" >/dev/null
    "$KIT/start-s3.sh" --netns s3b-srv --bind 127.77.0.1 --port 18100 >/dev/null
    "$KIT/make-object.sh" --netns s3b-cli --endpoint http://127.77.0.1:18100 --bucket bench --key obj1g.bin \
        --size 1G >/dev/null
    section "WAN simulation (RTT 50 ms, ~20 MB/s per connection), 1 GiB, 8 connections, $RUNS runs"
    "$KIT/peers.sh" --netns s3b-cli --endpoint http://127.77.0.1:18100 --bucket bench --key obj1g.bin \
        --runs "$RUNS" --tools aria2c --streams 8 --chunk 8M --ferry "$FERRY" --ratio-vs aria2c --verify \
        --idle-wait 30 --label "wan rtt50 1GiB x8" --csv "$OUT/wan.csv" | tee -a "$REPORT"
    endsection
  fi
fi

# sections other scripts write (e.g. "## Desktop app at scale" by bench/app-scale.sh) are kept as they are
KEPT=$(mktemp)
if [ -f "$HERE/RESULTS.md" ]; then
  awk '/^## /{keep=1} keep' "$HERE/RESULTS.md" > "$KEPT"
fi
{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1))."
  echo "Medians of $RUNS timed runs after one warm-up per tool; ratios < 1 mean Ferry was faster."
  cat "$REPORT"
  if [ -s "$KEPT" ]; then echo; cat "$KEPT"; fi
} > "$HERE/RESULTS.md.new"
mv "$HERE/RESULTS.md.new" "$HERE/RESULTS.md"
rm -f "$KEPT"
echo "wrote $HERE/RESULTS.md"
