#!/usr/bin/env bash
# bench/run.sh - Ferry against its peers on the same objects, in one run: every scenario of the speed issue,
# medians, ratios, client CPU and peak memory, and a table of the targets (met yes/no); rewrites bench/RESULTS.md.
#
#   bench/run.sh [--only a,b,c,d,e,f] [--runs 3] [--ferry CMD] [--results FILE] [--idle-wait 30] [--keep-servers]
#                [--large 1G] [--medium 256M] [--small-count 1000] [--small-size 64K] [--rate-seconds 30]
#                [--skip-wan] [--skip-loopback] [--kit DIR]
#
# Scenarios (the shared kit in ../shared/bench: s3proxy, peers.sh, the WAN namespaces; --kit to point elsewhere):
#   a  WAN simulation (RTT 50 ms, ~20 MB/s per connection; needs root): 256 MiB and 1 GiB at 8 and 16 connections,
#      8 MiB parts, ferry vs aria2c and rclone; ferry with 1 connection on 256 MiB for the single-connection rate.
#      Targets: ferry/aria2c <= 0.95 and ferry/rclone <= 0.95 everywhere; 1 GiB x8 reaches >= 90 % of 8 x the
#      single-connection rate.
#   b  loopback 1 GiB, 8 connections: ferry, rclone (and aria2c); client CPU seconds per GiB. Target ferry <= rclone.
#   c  the tail (bench/tail.sh): 1 GiB through bench/tools/ShapingProxy.java at 20 MB/s per connection, with and
#      without one connection 10x slower. Target ferry_slow <= 1.2 x ferry_none.
#   d  1,000 objects of 64 KiB under one prefix (bench/small.sh): ferry vs rclone copy --transfers 8. Target ferry <= rclone.
#      With an app image's launcher as --ferry, also the floor of its runtime (bench/floor.sh): the same objects
#      fetched by a bare loop on Ferry's store and HTTP client, which splits Ferry's time into runtime and engine.
#   e  server-side copy of 1 GiB (bench/copy.sh): ferry copy vs aws s3 cp --copy-props none. Target ferry <= aws.
#   f  --limit 5MiB/s, 1 and 8 connections (bench/ratelimit.sh), measured on the wire over 30 s. Targets: mean
#      within +-3 %, no 1 s window above 1.5 x the limit.
# --ferry CMD: the ferry command (default `java -jar target/ferry.jar`, built when missing or older than the
#   sources); e.g. --ferry target/jpackage/image/ferry/lib/ferry.sh for the installed launcher.
# --large / --medium / --small-* / --rate-seconds shrink the scenarios for a quick check of the harness
#   (environment: BENCH_LARGE, BENCH_MEDIUM, BENCH_SMALL_COUNT, BENCH_SMALL_SIZE, BENCH_RATE_SECONDS).
# Results: a full run (all scenarios, default sizes) rewrites bench/RESULTS.md; a partial or shrunk run writes
#   $BENCH_STATE/results/run-STAMP/RESULTS.md instead, unless --results FILE is given. Sections starting with
#   "## " (e.g. "## Desktop app at scale" by bench/app-scale.sh) are kept from the file being replaced.
# Servers: the loopback s3proxy (port 18041) is stopped at the end when this run started it; the WAN namespaces
#   (and the s3proxy inside) are torn down after scenario a. --keep-servers leaves both running.
# Benchmarks are not tests: they print ratios of medians measured in the same run.
set -uo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
RUNS=3; ONLY=abcdef; FERRY=""; RESULTS=""; IDLE=30; KEEP=0
LARGE=${BENCH_LARGE:-1G}; MEDIUM=${BENCH_MEDIUM:-256M}; SMALL_COUNT=${BENCH_SMALL_COUNT:-1000}
SMALL_SIZE=${BENCH_SMALL_SIZE:-64K}; RATE_SECS=${BENCH_RATE_SECONDS:-30}
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2;; --only) ONLY=$(echo "$2" | tr -cd 'a-f'); shift 2;; --ferry) FERRY=$2; shift 2;;
    --results) RESULTS=$2; shift 2;; --idle-wait) IDLE=$2; shift 2;; --keep-servers) KEEP=1; shift;;
    --large) LARGE=$2; shift 2;; --medium) MEDIUM=$2; shift 2;; --small-count) SMALL_COUNT=$2; shift 2;;
    --small-size) SMALL_SIZE=$2; shift 2;; --rate-seconds) RATE_SECS=$2; shift 2;;
    --skip-wan) ONLY=${ONLY//a/}; shift;; --skip-loopback) ONLY=$(echo "$ONLY" | tr -d 'b-f'); shift;;
    --kit) KIT=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -n "$ONLY" ] || { echo "no scenario left to run" >&2; exit 2; }
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "bad --runs $RUNS" >&2; exit 2; }
[ -x "$KIT/peers.sh" ] || { echo "benchmark kit not found at $KIT (use --kit DIR)" >&2; exit 2; }
KIT=$(cd "$KIT" && pwd)
export BENCH_STATE=${BENCH_STATE:-/tmp/ferry-bench}
source "$KIT/env.sh"
has() { [[ $ONLY == *$1* ]]; }

if [ -z "$FERRY" ]; then
  JAR=$ROOT/target/ferry.jar
  if [ ! -s "$JAR" ] || [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
    (cd "$ROOT" && mvn -B -q -DskipTests package) || { echo "building target/ferry.jar failed" >&2; exit 1; }
  fi
  FERRY="java -jar $JAR"
fi

FULL=0
[ "$ONLY" = abcdef ] && [ "$LARGE" = 1G ] && [ "$MEDIUM" = 256M ] && [ "$SMALL_COUNT" = 1000 ] \
  && [ "$SMALL_SIZE" = 64K ] && [ "$RATE_SECS" = 30 ] && FULL=1
OUT=$BENCH_STATE/results/run-$(date +%Y%m%d-%H%M%S); mkdir -p "$OUT"
if [ -z "$RESULTS" ]; then
  if [ $FULL = 1 ]; then RESULTS=$HERE/RESULTS.md; else RESULTS=$OUT/RESULTS.md; fi
fi
CSV=$OUT/peers.csv
REPORT=$OUT/report.md; : > "$REPORT"
SUMMARY=$OUT/summary.tsv; : > "$SUMMARY"
section() { printf '\n### %s\n\n```\n' "$1" >> "$REPORT"; echo "== $1"; }
endsection() { printf '```\n' >> "$REPORT"; }
# row SCENARIO TARGET MEASURED MET
row() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$SUMMARY"; }
key_of() { echo "obj$(echo "$1" | tr 'A-Z' 'a-z').bin"; }
human() { numfmt --from=iec "$1" | awk '{ if ($1 >= 1073741824) printf "%g GiB", $1/1073741824; else if ($1 >= 1048576) printf "%g MiB", $1/1048576; else printf "%g KiB", $1/1024 }'; }
# med LABEL TOOL COLUMN: the median of one peers.sh CSV column (5 wall_s, 6 client_cpu_s) over that label's runs
med() {
  awk -F, -v l="$1" -v t="$2" -v c="$3" '$1==l && $2==t {print $c}' "$CSV" | sort -g \
    | awk '{a[NR]=$1} END{ if(NR==0){print ""; exit} print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2) }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="" || b=="" || b+0<=0) print ""; else printf "%.3f", a/b }'; }
# le X LIMIT -> yes/no ("-" when X is missing)
le() { awk -v x="$1" -v l="$2" 'BEGIN{ if (x=="") print "-"; else print (x+0 <= l+0 ? "yes" : "no") }'; }
ge() { awk -v x="$1" -v l="$2" 'BEGIN{ if (x=="") print "-"; else print (x+0 >= l+0 ? "yes" : "no") }'; }
or_failed() { [ -n "$1" ] && echo "$1" || echo "FAILED"; }
PEERS=("$KIT/peers.sh" --runs "$RUNS" --chunk 8M --ferry "$FERRY" --verify --idle-wait "$IDLE" --dest /dev/shm/ferry-bench-dl --csv "$CSV")

# ---------------- (a) WAN simulation ----------------
if has a; then
  if [ "$(id -u)" != 0 ]; then
    section "(a) WAN simulation"; echo "skipped: it needs root for network namespaces" | tee -a "$REPORT"; endsection
    row "(a) WAN" "-" "skipped (needs root)" "-"
  else
    "$KIT/netns-setup.sh" > "$OUT/netns.txt" 2>&1 || { cat "$OUT/netns.txt" >&2; echo "netns-setup.sh failed" >&2; }
    "$KIT/start-s3.sh" --netns s3b-srv --bind 127.77.0.1 --port 18100 >/dev/null
    WEP=http://127.77.0.1:18100
    for size in "$MEDIUM" "$LARGE"; do
      "$KIT/make-object.sh" --netns s3b-cli --endpoint "$WEP" --bucket bench --key "$(key_of "$size")" --size "$size" >/dev/null
    done
    # netns-setup.sh prints three TCP-connect RTTs: RTT_MS_MEASURED="52.3 50.6 50.5"; their median
    rtt=$(awk -F= '/RTT_MS_MEASURED/{gsub(/"/, "", $2); print $2}' "$OUT/netns.txt" | tail -1 | tr ' ' '\n' \
      | sort -g | awk '{a[NR]=$1} END{ if (NR) print a[int((NR+1)/2)] }')
    for size in "$MEDIUM" "$LARGE"; do
      for s in 8 16; do
        label="wan $size x$s"
        section "(a) WAN simulation (RTT ${rtt:-50} ms, ~20 MB/s per connection), $(human "$size"), $s connections, 8 MiB parts, $RUNS runs"
        "${PEERS[@]}" --netns s3b-cli --endpoint "$WEP" --bucket bench --key "$(key_of "$size")" --tools aria2c,rclone \
            --streams "$s" --ratio-vs aria2c --label "$label" | tee -a "$REPORT"
        endsection
        f=$(med "$label" ferry 5); a=$(med "$label" aria2c 5); r=$(med "$label" rclone 5)
        x=$(ratio "$f" "$a"); row "(a) WAN $(human "$size") x$s: ferry/aria2c" "<= 0.95" "$(or_failed "$x")" "$(le "$x" 0.95)"
        x=$(ratio "$f" "$r"); row "(a) WAN $(human "$size") x$s: ferry/rclone" "<= 0.95" "$(or_failed "$x")" "$(le "$x" 0.95)"
      done
    done
    label="wan $MEDIUM x1"
    section "(a) WAN simulation, $(human "$MEDIUM"), ferry with 1 connection (the single-connection rate), $RUNS runs"
    "${PEERS[@]}" --netns s3b-cli --endpoint "$WEP" --bucket bench --key "$(key_of "$MEDIUM")" --tools ferry \
        --streams 1 --label "$label" | tee -a "$REPORT"
    f1=$(med "$label" ferry 5); f8=$(med "wan $LARGE x8" ferry 5)
    pct=$(awk -v f1="$f1" -v f8="$f8" -v b1="$(numfmt --from=iec "$MEDIUM")" -v b8="$(numfmt --from=iec "$LARGE")" \
      'BEGIN{ if (f1=="" || f8=="" || f1<=0 || f8<=0) print ""; else printf "%.1f", 100 * (b8/f8) / (8 * b1/f1) }')
    if [ -n "$pct" ]; then
      echo "ferry single connection: $(awk -v b="$(numfmt --from=iec "$MEDIUM")" -v t="$f1" 'BEGIN{printf "%.1f", b/t/1e6}') MB/s;" \
        "$(human "$LARGE") x8: $(awk -v b="$(numfmt --from=iec "$LARGE")" -v t="$f8" 'BEGIN{printf "%.1f", b/t/1e6}') MB/s" \
        "= $pct % of 8 x the single-connection rate" | tee -a "$REPORT"
    fi
    endsection
    row "(a) WAN $(human "$LARGE") x8: ferry rate / (8 x its 1-connection rate)" ">= 90 %" "$( [ -n "$pct" ] && echo "$pct %" || echo FAILED)" "$(ge "$pct" 90)"
    if [ $KEEP = 0 ]; then "$KIT/netns-teardown.sh" >/dev/null 2>&1; fi
  fi
fi

# ---------------- loopback server for b-f ----------------
LEP=http://127.0.0.1:18041
S3_WAS_RUNNING=1
if [[ $ONLY == *[b-f]* ]]; then
  "$KIT/start-s3.sh" --status --port 18041 >/dev/null 2>&1 || S3_WAS_RUNNING=0
  "$KIT/start-s3.sh" --port 18041 >/dev/null || { echo "cannot start s3proxy on 18041" >&2; exit 1; }
  if has b || has e; then
    "$KIT/make-object.sh" --endpoint "$LEP" --bucket bench --key "$(key_of "$LARGE")" --size "$LARGE" >/dev/null
  fi
fi

# ---------------- (b) loopback ----------------
if has b; then
  label="loopback $LARGE x8"
  section "(b) Loopback, $(human "$LARGE"), 8 connections, 8 MiB parts, $RUNS runs"
  "${PEERS[@]}" --endpoint "$LEP" --bucket bench --key "$(key_of "$LARGE")" --tools aria2c,rclone --streams 8 \
      --ratio-vs rclone --label "$label" | tee -a "$REPORT"
  gib=$(awk -v b="$(numfmt --from=iec "$LARGE")" 'BEGIN{print b/1073741824}')
  cpus=""
  for t in aria2c rclone ferry; do
    c=$(med "$label" "$t" 6)
    [ -n "$c" ] && cpus="$cpus${cpus:+, }$t $(awk -v c="$c" -v g="$gib" 'BEGIN{printf "%.2f", c/g}')"
  done
  echo "client CPU seconds per GiB (median): $cpus" | tee -a "$REPORT"
  endsection
  x=$(ratio "$(med "$label" ferry 5)" "$(med "$label" rclone 5)")
  row "(b) loopback $(human "$LARGE") x8: ferry/rclone" "<= 1.00" "$(or_failed "$x")" "$(le "$x" 1.00)"
  row "(b) loopback $(human "$LARGE") x8: client CPU s/GiB" "reported" "${cpus:-FAILED}" "-"
fi

# ---------------- (c) the tail ----------------
if has c; then
  section "(c) The tail: $(human "$LARGE") through ShapingProxy at 20 MB/s per connection, one connection 10x slower, 8 connections, $RUNS runs"
  "$HERE/tail.sh" --ferry "$FERRY" --size "$LARGE" --runs "$RUNS" --connections 8 --chunk 8M --idle-wait "$IDLE" \
      --csv "$OUT/tail.csv" --kit "$KIT" 2>&1 | tee "$OUT/tail.txt" | tee -a "$REPORT"
  endsection
  x=$(awk '/^ferry_slow\/ferry_none/{print $2}' "$OUT/tail.txt")
  row "(c) tail $(human "$LARGE") x8: ferry with a 10x slower connection / without" "<= 1.20" "$(or_failed "$x")" "$(le "$x" 1.2)"
fi

# ---------------- (d) many small objects ----------------
if has d; then
  section "(d) Many small objects: $SMALL_COUNT of $SMALL_SIZE under one prefix, ferry --objects 8 vs rclone copy --transfers 8, $RUNS runs"
  "$HERE/small.sh" --endpoint "$LEP" --count "$SMALL_COUNT" --size "$SMALL_SIZE" --runs "$RUNS" --ferry "$FERRY" 2>&1 \
      | tee "$OUT/small.txt" | tee -a "$REPORT"
  endsection
  x=$(awk '/^ferry\/rclone/{print $2}' "$OUT/small.txt")
  row "(d) $SMALL_COUNT objects of $SMALL_SIZE: ferry/rclone" "<= 1.00" "$(or_failed "$x")" "$(le "$x" 1.00)"
  # the floor for this runtime (bench/floor.sh): needs an app image, whose runtime and archive it starts with
  if [[ $FERRY == */lib/ferry.sh ]]; then
    section "(d) The floor: a bare loop of GET, MD5, force and rename on Ferry's store and HTTP client (bench/floor.sh), beside ferry and rclone, $RUNS runs"
    "$HERE/floor.sh" --endpoint "$LEP" --prefix "small-$SMALL_COUNT-$SMALL_SIZE" --runs "$RUNS" \
        --image "$(dirname "$(dirname "$FERRY")")" 2>&1 | tee "$OUT/floor.txt" | tee -a "$REPORT"
    endsection
    fl=$(awk '/^floor\/rclone/{printf "floor/rclone %s, ferry/floor %s", $2, $4}' "$OUT/floor.txt")
    row "(d) the floor of this runtime (bench/floor.sh)" "reported" "$(or_failed "$fl")" "-"
  fi
fi

# ---------------- (e) server-side copy ----------------
if has e; then
  section "(e) Server-side copy on loopback, $(human "$LARGE"): ferry copy vs aws s3 cp --copy-props none, $RUNS runs"
  "$HERE/copy.sh" --endpoint "$LEP" --bucket bench --key "$(key_of "$LARGE")" --runs "$RUNS" --ferry "$FERRY" 2>&1 \
      | tee "$OUT/copy.txt" | tee -a "$REPORT"
  endsection
  x=$(awk '/^ferry\/awscli/{print $2}' "$OUT/copy.txt")
  row "(e) copy $(human "$LARGE"): ferry/aws" "<= 1.00" "$(or_failed "$x")" "$(le "$x" 1.00)"
fi

# ---------------- (f) rate limit ----------------
if has f; then
  section "(f) Rate limit: ferry download --limit 5MiB/s, $(human "$MEDIUM") object, 1 and 8 connections, ${RATE_SECS} s window on the wire"
  "$HERE/ratelimit.sh" --ferry "$FERRY" --limit 5MiB/s --seconds "$RATE_SECS" --connections 1,8 --size "$MEDIUM" \
      --kit "$KIT" 2>&1 | tee "$OUT/ratelimit.txt" | tee -a "$REPORT"
  endsection
  for c in 1 8; do
    read -r dev mx met < <(awk -v c="$c" '$1==c && NF>=10 {print $4, $6, $10}' "$OUT/ratelimit.txt")
    if [ -z "${dev:-}" ]; then
      row "(f) --limit 5MiB/s x$c, on the wire" "mean within +-3 %; every 1 s <= 1.5 x" "FAILED" "-"
    else
      row "(f) --limit 5MiB/s x$c, on the wire" "mean within +-3 %; every 1 s <= 1.5 x" "mean ${dev} %; max 1 s ${mx} x" "$met"
    fi
    dev=""; mx=""; met=""
  done
fi

if [ "$S3_WAS_RUNNING" = 0 ] && [ $KEEP = 0 ]; then "$KIT/start-s3.sh" --stop --port 18041 >/dev/null 2>&1; fi

# ---------------- RESULTS.md ----------------
# sections other scripts write (e.g. "## Desktop app at scale" by bench/app-scale.sh) are kept as they are
KEPT=$(mktemp)
SRC=$RESULTS; [ -f "$SRC" ] || SRC=$HERE/RESULTS.md
[ -f "$SRC" ] && awk '/^## /{keep=1} keep' "$SRC" > "$KEPT"
{
  echo "# Benchmark results"
  echo
  echo "Written by \`bench/run.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1))."
  echo "Ferry command: \`$FERRY\`. Scenarios: $(echo "$ONLY" | sed 's/./&,/g; s/,$//'); $RUNS timed runs after one warm-up per tool;"
  echo "sizes: large $LARGE, medium $MEDIUM, small objects $SMALL_COUNT x $SMALL_SIZE, rate-limit window $RATE_SECS s."
  [ $FULL = 1 ] || echo "**Partial or shrunk run: not the issue's full scenario set.**"
  echo "Ratios are medians measured in the same run; < 1 means Ferry was faster. Benchmarks, not tests."
  echo
  echo "### Targets"
  echo
  echo "| scenario | target | measured | met |"
  echo "|---|---|---|---|"
  awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$SUMMARY"
  cat "$REPORT"
  if [ -s "$KEPT" ]; then echo; cat "$KEPT"; fi
} > "$RESULTS.new"
mv "$RESULTS.new" "$RESULTS"
rm -f "$KEPT"
echo
echo "| scenario | target | measured | met |"
awk -F'\t' '{printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4}' "$SUMMARY"
echo "wrote $RESULTS (raw per-run data in $OUT)"
