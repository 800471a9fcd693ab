#!/usr/bin/env bash
# bench/tail.sh - the tail (issue scenario c): one connection served ten times slower than the rest.
# The kit's s3proxy on loopback sits behind bench/tools/ShapingProxy.java, which caps every connection's
# server-to-client rate (default 20 MB/s, like the WAN simulation). Two proxies run side by side: one with
# no slow connection, one where the 2nd connection accepted in each client run gets a tenth of the rate for
# its whole life. Each tool (aria2c and rclone for reference, then ferry) downloads the same object through
# both, one after the other, with the kit's peers.sh; prints peers.sh's tables (time, client CPU, peak RSS),
# then per tool the median times, slow/none, and what the slow connection carried in each timed run.
#
#   bench/tail.sh [--ferry "java -jar target/ferry.jar"] [--size 1G] [--runs 3] [--connections 8] [--chunk 8M]
#                 [--rate 20MB] [--factor 10] [--slow 2] [--tools aria2c,rclone] [--idle-wait 5]
#                 [--s3-port 18041] [--ports 18051,18052] [--csv FILE] [--kit DIR]
#
# Target: ferry's median with the slow connection <= 1.2 x its median without it.
# How the slow connection is chosen: the proxy numbers the connections of a "session", which ends when no
# connection has been open for 500 ms; peers.sh's pause before each timed run (--idle-wait, at least 1 s here)
# separates the runs, so every run (and the warm-up) is its own session and meets its own slow connection.
# Every tool here opens its first data connection first (ferry and rclone reuse their HEAD's connection), so
# connection 2 carries object data. The per-run table shows how much it carried.
# Leaves the kit's s3proxy running (stop it with ../shared/bench/start-s3.sh --stop --port 18041); the proxies
# stop when this script exits.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
FERRY="java -jar $ROOT/target/ferry.jar"; SIZE=1G; RUNS=3; CONN=8; CHUNK=8M; RATE=20MB; FACTOR=10; SLOW=2
TOOLS=aria2c,rclone; IDLE=5; S3PORT=18041; PORTS=18051,18052; CSV=""
while [ $# -gt 0 ]; do
  case "$1" in
    --ferry) FERRY=$2; shift 2;; --size) SIZE=$2; shift 2;; --runs) RUNS=$2; shift 2;;
    --connections) CONN=$2; shift 2;; --chunk) CHUNK=$2; shift 2;; --rate) RATE=$2; shift 2;;
    --factor) FACTOR=$2; shift 2;; --slow) SLOW=$2; shift 2;; --tools) TOOLS=$2; shift 2;;
    --idle-wait) IDLE=$2; shift 2;; --s3-port) S3PORT=$2; shift 2;; --ports) PORTS=$2; shift 2;;
    --csv) CSV=$2; shift 2;; --kit) KIT=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -x "$KIT/peers.sh" ] || { echo "benchmark kit not found at $KIT (use --kit DIR)" >&2; exit 2; }
[ "$IDLE" -ge 1 ] 2>/dev/null || IDLE=1      # the pause that separates the proxy's sessions
source "$KIT/env.sh"
P_NONE=${PORTS%,*}; P_SLOW=${PORTS#*,}
KEY=obj$(echo "$SIZE" | tr 'A-Z' 'a-z').bin
WORK=$(mktemp -d "$BENCH_STATE/tmp/tail.XXXXXX" 2>/dev/null || { mkdir -p "$BENCH_STATE/tmp"; mktemp -d "$BENCH_STATE/tmp/tail.XXXXXX"; })
PROXY_PIDS=()
cleanup() {
  local p; for p in "${PROXY_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$KIT/start-s3.sh" --port "$S3PORT" >/dev/null
"$KIT/make-object.sh" --endpoint "http://127.0.0.1:$S3PORT" --bucket bench --key "$KEY" --size "$SIZE" >/dev/null
S3PID=$(cat "$BENCH_STATE/run/s3-$S3PORT/pid")

# start_proxy PORT SLOW: a ShapingProxy in front of the s3proxy; waits until it listens
start_proxy() {
  local port=$1 slow=$2 out=$WORK/proxy-$1.out
  timeout 10800 java -Xmx128m -XX:+UseSerialGC "$HERE/tools/ShapingProxy.java" --port "$port" \
      --target "127.0.0.1:$S3PORT" --rate "$RATE" --slow "$slow" --slow-factor "$FACTOR" --reset-idle-ms 500 \
      --conn-log "$WORK/conns-$port.log" > "$out" 2>&1 &
  PROXY_PIDS+=($!)
  for _ in $(seq 1 150); do grep -q '^listening' "$out" 2>/dev/null && return 0; kill -0 $! 2>/dev/null || break; sleep 0.2; done
  echo "ShapingProxy on port $port did not start:" >&2; cat "$out" >&2; exit 1
}
touch "$WORK/conns-$P_NONE.log" "$WORK/conns-$P_SLOW.log"
start_proxy "$P_NONE" 0
start_proxy "$P_SLOW" "$SLOW"

RES=$WORK/runs.csv
median() { sort -g | awk '{a[NR]=$1} END{ if(NR==0){print "nan"; exit} print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) }'; }
bytes=$(numfmt --from=iec "$SIZE")
printf '# tail: s3://bench/%s (%s bytes) through ShapingProxy, %s per connection, connection %s of each run at 1/%s of that;\n' \
  "$KEY" "$bytes" "$RATE" "$SLOW" "$FACTOR"
printf '# %s connections, %s parts, %s timed runs after one warm-up, tools in turn (none, then slow)\n' "$CONN" "$CHUNK" "$RUNS"
FAILED=0
: > "$WORK/slowconn.txt"
for tool in ${TOOLS//,/ } ferry; do
  for mode in none slow; do
    port=$P_NONE; [ "$mode" = slow ] && port=$P_SLOW
    before=$(wc -l < "$WORK/conns-$port.log")
    args=(--endpoint "http://127.0.0.1:$port" --bucket bench --key "$KEY" --runs "$RUNS" --streams "$CONN" --chunk "$CHUNK"
          --server-pids "$S3PID" --verify --idle-wait "$IDLE" --dest /dev/shm/ferry-bench-dl --label "tail $mode"
          --csv "$RES")
    if [ "$tool" = ferry ]; then args+=(--tools ferry --ferry "$FERRY"); else args+=(--tools "$tool"); fi
    "$KIT/peers.sh" "${args[@]}" | sed "s/^/[$mode] /" || FAILED=1
    # connections this call opened: sessions in order = the HEAD, the warm-up, then the timed runs
    tail -n +"$((before + 1))" "$WORK/conns-$port.log" > "$WORK/slice.log"
    awk -v tool="$tool" -v mode="$mode" -v runs="$RUNS" '
      { s=$1; if (!(s in seen)) { seen[s]=1; order[++n]=s } tot[s]+=$4; nc[s]++; if ($3==1) { sb[s]+=$4; sms[s]=$6 } }
      END {
        if (n != runs + 2) printf "  (%s %s: %d sessions seen on the proxy, expected %d: the per-run attribution below may be off)\n", tool, mode, n, runs + 2 > "/dev/stderr"
        for (i = n - runs + 1; i <= n; i++) { if (i < 1) continue; s = order[i]
          printf "%s %s %d %d %.0f %d\n", tool, mode, nc[s], tot[s], sb[s] + 0, sms[s] + 0 } }' "$WORK/slice.log" >> "$WORK/slowconn.txt"
  done
done

echo
echo "# connections per timed run (proxy's view): total MB, MB on the slow connection and how long it stayed open"
printf '%-8s %-5s %6s %9s %9s %9s\n' tool mode conns total_MB slow_MB slow_open_s
awk '{printf "%-8s %-5s %6d %9.1f %9.1f %9s\n", $1, $2, $3, $4/1e6, $5/1e6, ($2=="slow" ? sprintf("%.2f", $6/1000) : "-")}' "$WORK/slowconn.txt"

echo
echo "# median wall time without / with the slow connection"
printf '%-8s %9s %9s %10s\n' tool none_s slow_s slow/none
for tool in ${TOOLS//,/ } ferry; do
  n=$(awk -F, -v t="$tool" '$1=="tail none" && $2==t {print $5}' "$RES" | median)
  s=$(awk -F, -v t="$tool" '$1=="tail slow" && $2==t {print $5}' "$RES" | median)
  printf '%-8s %9.2f %9.2f %10.3f\n' "$tool" "$n" "$s" "$(awk -v a="$s" -v b="$n" 'BEGIN{print (b>0? a/b : 0)}')"
  [ "$tool" = ferry ] && { FN=$n; FS=$s; }
done
ratio=$(awk -v a="$FS" -v b="$FN" 'BEGIN{printf "%.3f", (b>0? a/b : 0)}')
met=$(awk -v r="$ratio" 'BEGIN{print (r>0 && r<=1.2 ? "yes" : "no")}')
echo "ferry_slow/ferry_none $ratio (target <= 1.2: $met)"
[ -n "$CSV" ] && { mkdir -p "$(dirname "$CSV")"; [ -s "$CSV" ] || head -1 "$RES" > "$CSV"; tail -n +2 "$RES" >> "$CSV"; }
[ "$FAILED" = 0 ]
