#!/usr/bin/env bash
# bench/ratelimit.sh - accuracy of `ferry download --limit` (issue scenario f), measured on the wire: the kit's
# s3proxy on loopback behind bench/tools/ShapingProxy.java (no cap, no slow connection), which logs the bytes it
# forwarded to the client every 100 ms. Ferry downloads a large object limited to 5 MiB/s, with 1 and with
# 8 connections, and is stopped once the measurement window has passed.
#
#   bench/ratelimit.sh [--ferry "java -jar target/ferry.jar"] [--limit 5MiB/s] [--seconds 30] [--connections 1,8]
#                      [--size 256M] [--part-size SIZE] [--s3-port 18041] [--port 18053] [--kit DIR]
#
# Window: from the first byte on the wire, --seconds long (the start and its burst included). Printed per connection count: the mean rate
# over the window and its deviation from the limit, the largest rate over any 1 s (ten consecutive 100 ms
# samples, sliding) inside the window, the bytes of the first second, ferry's CPU
# seconds and peak RSS over the run, and met yes/no. The proxy's client-side send buffer is held to 32 KiB, so a
# byte counts when the client's TCP window takes it, not when it enters the proxy's own kernel buffer.
# Targets: mean within +-3 % of the limit; no 1 s window above 1.5 x the limit.
# The object must last the window: --size >= limit x (seconds + 1) (256 MiB lasts 51 s at 5 MiB/s).
# Leaves the kit's s3proxy running; the proxy stops when this script exits.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
FERRY="java -jar $ROOT/target/ferry.jar"; LIMIT=5MiB/s; SECS=30; CONNS=1,8; SIZE=256M; PART=""; S3PORT=18041; PORT=18053
while [ $# -gt 0 ]; do
  case "$1" in
    --ferry) FERRY=$2; shift 2;; --limit) LIMIT=$2; shift 2;; --seconds) SECS=$2; shift 2;;
    --connections) CONNS=$2; shift 2;; --size) SIZE=$2; shift 2;; --part-size) PART=$2; shift 2;;
    --s3-port) S3PORT=$2; shift 2;; --port) PORT=$2; shift 2;; --kit) KIT=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -x "$KIT/peers.sh" ] || { echo "benchmark kit not found at $KIT (use --kit DIR)" >&2; exit 2; }
source "$KIT/env.sh"
L=${LIMIT%/s}
case $L in
  *iB) LIMIT_BPS=$(numfmt --from=iec "${L%iB}");;
  *B)  LIMIT_BPS=$(numfmt --from=si "${L%B}");;
  *)   LIMIT_BPS=$(numfmt --from=iec "$L");;
esac
KEY=obj$(echo "$SIZE" | tr 'A-Z' 'a-z').bin
bytes=$(numfmt --from=iec "$SIZE")
awk -v b="$bytes" -v r="$LIMIT_BPS" -v s="$SECS" 'BEGIN{exit !(b >= r * (s + 1))}' \
  || echo "warning: $SIZE lasts less than $SECS + 1 s at $LIMIT; the window will be short" >&2
mkdir -p "$BENCH_STATE/tmp"
WORK=$(mktemp -d "$BENCH_STATE/tmp/ratelimit.XXXXXX")
DL=$(mktemp -d /dev/shm/ferry-ratelimit.XXXXXX 2>/dev/null || mktemp -d "$BENCH_STATE/tmp/ratelimit-dl.XXXXXX")
export FERRY_HOME=$WORK/home
PROXY_PID=""; TIME_PID=""
desc() { local p c; for p in "$@"; do [ -d /proc/$p ] || continue; echo "$p"; for c in $(pgrep -P "$p"); do desc "$c"; done; done; }
cleanup() {
  if [ -n "$TIME_PID" ]; then kill $(desc "$TIME_PID" | tail -n +2) 2>/dev/null || true; fi
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null || true
  rm -rf "$WORK" "$DL"
}
trap cleanup EXIT

"$KIT/start-s3.sh" --port "$S3PORT" >/dev/null
"$KIT/make-object.sh" --endpoint "http://127.0.0.1:$S3PORT" --bucket bench --key "$KEY" --size "$SIZE" >/dev/null
LOG=$WORK/rate.log
timeout 10800 java -Xmx128m -XX:+UseSerialGC "$HERE/tools/ShapingProxy.java" --port "$PORT" --target "127.0.0.1:$S3PORT" \
    --rate 0 --slow 0 --sndbuf 32768 --log "$LOG" > "$WORK/proxy.out" 2>&1 &
PROXY_PID=$!
for _ in $(seq 1 150); do grep -q '^listening' "$WORK/proxy.out" 2>/dev/null && break; sleep 0.2; done
grep -q '^listening' "$WORK/proxy.out" || { echo "ShapingProxy did not start:" >&2; cat "$WORK/proxy.out" >&2; exit 1; }

read -r -a FERRY_CMD <<< "$FERRY"
now_ms() { date +%s%3N; }
# first_byte_ms SINCE: the start of the first 100 ms sample after SINCE that carried bytes (empty if none yet)
first_byte_ms() { awk -v since="$1" '$1 > since { if ($2 > 0) { print prev; exit } } { prev = $1 }' "$LOG"; }

printf '# ferry download --limit %s of s3://bench/%s (%s bytes) through ShapingProxy (no cap); bytes on the wire per 100 ms;\n' \
  "$LIMIT" "$KEY" "$bytes"
printf '# window: %s s from the first byte on the wire (the start included). Targets: mean within +-3 %% of %s B/s, no 1 s above 1.5 x\n' "$SECS" "$LIMIT_BPS"
printf '%-6s %8s %11s %7s %12s %11s %12s %9s %10s %4s\n' conns window_s mean_MiB/s dev% max1s_MiB/s max1s/limit first_s_MiB cli_cpu_s maxrss_KB met
ALL_MET=yes
for c in ${CONNS//,/ }; do
  rm -rf "$DL"/* "$FERRY_HOME"
  extra=(); [ -n "$PART" ] && extra=(--part-size "$PART")
  start=$(now_ms)
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" "${FERRY_CMD[@]}" download "s3://bench/$KEY" "$DL/obj.bin" \
      --endpoint "http://127.0.0.1:$PORT" --region us-east-1 --path-style --connections "$c" --no-checkpoint \
      --limit "$LIMIT" "${extra[@]}" > "$WORK/ferry.out" 2>&1 &
  TIME_PID=$!
  deadline=$((start + (SECS + 60) * 1000))
  while kill -0 "$TIME_PID" 2>/dev/null; do
    fb=$(first_byte_ms "$start")
    if [ -n "$fb" ] && [ "$(now_ms)" -ge $((fb + SECS * 1000 + 300)) ]; then break; fi
    [ "$(now_ms)" -ge "$deadline" ] && break
    sleep 0.2
  done
  ended=normal
  if kill -0 "$TIME_PID" 2>/dev/null; then
    ended=stopped
    kill $(desc "$TIME_PID" | tail -n +2) 2>/dev/null || true
  fi
  rc=0; wait "$TIME_PID" 2>/dev/null || rc=$?
  TIME_PID=""
  read -r _ u s m < <(grep -E '^[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+$' "$WORK/time.txt" | tail -1) || { u=0; s=0; m=0; }
  sleep 0.3   # the last samples reach the log
  python3 - "$LOG" "$start" "$SECS" "$LIMIT_BPS" "$c" "$u" "$s" "$m" "$ended" <<'EOF' > "$WORK/line.txt"
import sys
log, start, secs, limit, conns, u, s, m, ended = sys.argv[1:]
start = int(start); secs = float(secs); limit = float(limit)
rows = []
for line in open(log):
    p = line.split()
    if len(p) == 2:
        rows.append((int(p[0]), int(p[1])))
rows = [r for r in rows if r[0] > start]
ends = [r[0] for r in rows]
first = next((i for i, r in enumerate(rows) if r[1] > 0), None)
if first is None or first == 0:
    t0 = start
else:
    t0 = rows[first - 1][0]
if first is None:
    print("%-6s no bytes on the wire" % conns); sys.exit(0)
lo, hi = t0, t0 + secs * 1000
# samples whose interval (previous end, end] lies inside (lo, hi]
idx = [i for i in range(1, len(rows)) if rows[i - 1][0] >= lo - 50 and rows[i][0] <= hi + 50]
if not idx:
    print("%-6s window empty" % conns); sys.exit(0)
span = (rows[idx[-1]][0] - rows[idx[0] - 1][0]) / 1000.0
total = sum(rows[i][1] for i in idx)
mean = total / span
dev = (mean - limit) / limit * 100
max1 = 0.0
for k in range(len(idx) - 9):
    a, b = idx[k], idx[k + 9]
    if b - a != 9:
        continue
    dt = (rows[b][0] - rows[a - 1][0]) / 1000.0
    max1 = max(max1, sum(rows[i][1] for i in range(a, b + 1)) / dt)
first_s = sum(r[1] for r in rows if t0 < r[0] <= t0 + 1000)
short = span < secs - 0.5
met = (not short) and abs(dev) <= 3 and max1 <= 1.5 * limit
print("%-6s %8.1f %11.3f %+7.1f %12.3f %11.2f %12.2f %9.2f %10s %4s%s" % (
    conns, span, mean / 1048576, dev, max1 / 1048576, max1 / limit, first_s / 1048576,
    float(u) + float(s), m, "yes" if met else "no",
    "  (download ended before the window did)" if short else ""))
EOF
  cat "$WORK/line.txt"
  awk '{exit !($10 == "yes")}' "$WORK/line.txt" || ALL_MET=no
  if [ "$ended" = normal ] && [ "$rc" != 0 ]; then
    echo "  ferry failed (exit $rc): $(tail -3 "$WORK/ferry.out" | tr '\n' ' ')" >&2; ALL_MET=no
  fi
done
echo "ratelimit met $ALL_MET"
