#!/usr/bin/env bash
# bench/http.sh - a plain HTTP link from nginx on loopback: `ferry download http://…` against aria2c (8 connections)
# and curl (1 stream) on the same 1 GiB file, alternating runs; then a resumability check: ferry killed with
# kill -9 twice in one download, then run again to the end. Every ferry file is compared (SHA-256) with the
# served one. Prints the medians and ratios, and the resume table.
#
#   bench/http.sh [--size 1G] [--runs 3] [--connections 8] [--port 18080] [--ferry "java -jar target/ferry.jar"]
#
# Uses the shared kit's start-nginx.sh (which installs nginx from Debian when missing). Leaves nginx running;
# stop it with ../shared/bench/start-nginx.sh --stop --port 18080.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KIT=$(cd "$ROOT/../shared/bench" && pwd)
SIZE=1G; RUNS=3; CONN=8; PORT=18080; FERRY="java -jar $ROOT/target/ferry.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --size) SIZE=$2; shift 2;; --runs) RUNS=$2; shift 2;; --connections) CONN=$2; shift 2;;
    --port) PORT=$2; shift 2;; --ferry) FERRY=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
source "$KIT/env.sh"
read -r -a FERRY_CMD <<< "$FERRY"
if [ "${FERRY_CMD[*]}" = "java -jar $ROOT/target/ferry.jar" ] && [ ! -f "$ROOT/target/ferry.jar" ]; then
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi
WWW=$BENCH_STATE/http-www
mkdir -p "$WWW"
FILE=obj-$SIZE.bin
if [ ! -f "$WWW/$FILE" ]; then
  echo "making $WWW/$FILE" >&2
  head -c "$(numfmt --from=iec "$SIZE")" /dev/urandom > "$WWW/$FILE.tmp" && mv "$WWW/$FILE.tmp" "$WWW/$FILE"
  sha256sum "$WWW/$FILE" | cut -d' ' -f1 > "$WWW/$FILE.sha256"
fi
WANT=$(cat "$WWW/$FILE.sha256")
"$KIT/start-nginx.sh" --port "$PORT" --root "$WWW" >/dev/null
URL=http://127.0.0.1:$PORT/$FILE
OUT=$(mktemp -d /dev/shm/ferry-http.XXXXXX 2>/dev/null || mktemp -d)
export FERRY_HOME=$OUT/home
trap 'rm -rf "$OUT"' EXIT

time_of() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
check() { local got; got=$(sha256sum "$1" | cut -d' ' -f1); [ "$got" = "$WANT" ] || { echo "MISMATCH: $1" >&2; exit 1; }; }

run_ferry() { rm -f "$OUT/f.bin"; tf=$(time_of "${FERRY_CMD[@]}" download "$URL" "$OUT/f.bin" --connections "$CONN"); check "$OUT/f.bin"; rm -f "$OUT/f.bin"; }
run_aria() { rm -f "$OUT/a.bin"; ta=$(time_of aria2c -q -x "$CONN" -s "$CONN" -k 1M --file-allocation=none --allow-overwrite=true -d "$OUT" -o a.bin "$URL"); rm -f "$OUT/a.bin"; }
run_curl() { rm -f "$OUT/c.bin"; tc=$(time_of curl -sS -o "$OUT/c.bin" "$URL"); rm -f "$OUT/c.bin"; }
: > "$OUT/t-ferry"; : > "$OUT/t-aria"; : > "$OUT/t-curl"
for i in $(seq 0 "$RUNS"); do   # run 0 warms the page cache and the JIT-less start for every tool
  if [ $((i % 2)) -eq 0 ]; then run_ferry; run_aria; run_curl; else run_curl; run_aria; run_ferry; fi
  if [ "$i" -gt 0 ]; then echo "$tf" >> "$OUT/t-ferry"; echo "$ta" >> "$OUT/t-aria"; echo "$tc" >> "$OUT/t-curl"; fi
done
mf=$(median < "$OUT/t-ferry"); ma=$(median < "$OUT/t-aria"); mc=$(median < "$OUT/t-curl")
bytes=$(stat -c %s "$WWW/$FILE")
printf '# %s from nginx on loopback (%s bytes), %s runs each, %s connections for ferry and aria2c\n' "$URL" "$bytes" "$RUNS" "$CONN"
printf '%-8s %9s %9s\n' tool median_s MB/s
for t in ferry:$mf aria2c:$ma curl:$mc; do
  printf '%-8s %9.2f %9.0f\n' "${t%%:*}" "${t#*:}" "$(echo "$bytes / ${t#*:} / 1000000" | bc -l)"
done
printf 'ferry/aria2c %.3f   ferry/curl %.3f\n' "$(echo "$mf / $ma" | bc -l)" "$(echo "$mf / $mc" | bc -l)"

# resumability: two kills at random moments while limited to 300 MiB/s, then to the end
rm -f "$OUT/r.bin"
echo "# resume: kill -9 twice, then run to the end"
recorded() { python3 -c 'import json,sys,glob
f=glob.glob(sys.argv[1]+"/checkpoints/*.json")
try: print(sum(p["completed"] for p in json.load(open(f[0]))["parts"]) if f else 0)
except Exception: print(0)' "$FERRY_HOME"; }
for k in 1 2; do
  before=$(recorded)
  "${FERRY_CMD[@]}" download "$URL" "$OUT/r.bin" --connections "$CONN" --limit 300MiB/s >/dev/null 2>&1 &
  pid=$!
  # once this run has recorded progress of its own, kill it at a random moment within the next half second
  for _ in $(seq 1 300); do [ "$(recorded)" -gt "$before" ] && break; sleep 0.1; done
  sleep "$(awk -v s="$RANDOM" 'BEGIN{srand(s); printf "%.2f", rand() / 2}')"
  kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  echo "kill $k: checkpoint records $(recorded) bytes"
done
result=$("${FERRY_CMD[@]}" download "$URL" "$OUT/r.bin" --connections "$CONN" --json | tail -1)
check "$OUT/r.bin"
echo "final run: $result" | python3 -c 'import json,sys; l=sys.stdin.read(); r=json.loads(l[l.index("{"):]); print("final run: %s, reused %d bytes, fetched %d bytes, SHA-256 matches" % (r["state"], r["reused"], r["fetched"]))'
ls "$FERRY_HOME/checkpoints" 2>/dev/null | grep -q . && { echo "a checkpoint was left behind" >&2; exit 1; }
echo "no checkpoint or temp file left"
