#!/usr/bin/env bash
# bench/small.sh - many small objects (issue scenario d): every object under one prefix downloaded by
# `ferry download s3://bucket/prefix/ DIR --objects 8` and by `rclone copy bench:bucket/prefix DIR --transfers 8`,
# alternating runs against the same server; prints each tool's median wall time and the ratio. The objects
# (1,000 of 64 KiB by default) are uploaded once, under a prefix named after their count and size.
#
#   bench/small.sh --endpoint http://127.0.0.1:18041 [--bucket bench] [--count 1000] [--size 64K] [--runs 5]
#                  [--ferry "java -jar target/ferry.jar"]
#
# Expects the kit's environment (source ../shared/bench/env.sh): credentials, no AWS_CA_BUNDLE.
set -euo pipefail
EP=""; BUCKET=bench; COUNT=1000; SIZE=64K; RUNS=5; FERRY="java -jar target/ferry.jar"
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint) EP=$2; shift 2;; --bucket) BUCKET=$2; shift 2;; --count) COUNT=$2; shift 2;;
    --size) SIZE=$2; shift 2;; --runs) RUNS=$2; shift 2;; --ferry) FERRY=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -n "$EP" ] || { echo "--endpoint is required" >&2; exit 2; }
AWS=${AWS:-/usr/bin/aws}
PREFIX=small-$COUNT-$SIZE
bytes=$(numfmt --from=iec "$SIZE")
OUT=$(mktemp -d /dev/shm/ferry-small.XXXXXX 2>/dev/null || mktemp -d)
export FERRY_HOME=$OUT/home
trap 'rm -rf "$OUT"' EXIT

have=$($AWS --endpoint-url "$EP" s3 ls "s3://$BUCKET/$PREFIX/" 2>/dev/null | wc -l || true)
if [ "$have" -ne "$COUNT" ]; then
  echo "uploading $COUNT objects of $SIZE to s3://$BUCKET/$PREFIX/" >&2
  mkdir -p "$OUT/src"
  for i in $(seq -w 1 "$COUNT"); do head -c "$bytes" /dev/urandom > "$OUT/src/obj-$i.bin"; done
  $AWS --endpoint-url "$EP" s3 cp --recursive --only-show-errors "$OUT/src" "s3://$BUCKET/$PREFIX/"
  rm -rf "$OUT/src"
fi

export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="$EP" \
       RCLONE_CONFIG_BENCH_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
       RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true RCLONE_CONFIG_BENCH_REGION=us-east-1 RCLONE_CONFIG=/dev/null
read -r -a FERRY_CMD <<< "$FERRY"
time_of() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
count_files() { find "$1" -type f | wc -l; }

run_ferry() {
  rm -rf "$OUT/f" "$FERRY_HOME"; mkdir -p "$OUT/f"
  tf=$(time_of "${FERRY_CMD[@]}" download "s3://$BUCKET/$PREFIX/" "$OUT/f" --endpoint "$EP" --region us-east-1 --objects 8)
  [ "$(count_files "$OUT/f")" -eq "$COUNT" ] || { echo "ferry got $(count_files "$OUT/f") files" >&2; exit 1; }
}
run_rclone() {
  rm -rf "$OUT/r"; mkdir -p "$OUT/r"
  tr=$(time_of rclone copy "bench:$BUCKET/$PREFIX" "$OUT/r" --transfers 8 -q)
  [ "$(count_files "$OUT/r")" -eq "$COUNT" ] || { echo "rclone got $(count_files "$OUT/r") files" >&2; exit 1; }
}
: > "$OUT/t-ferry"; : > "$OUT/t-rclone"
for i in $(seq 0 "$RUNS"); do           # run 0 is a warm-up for both
  if [ $((i % 2)) -eq 0 ]; then run_ferry; run_rclone; else run_rclone; run_ferry; fi
  if [ "$i" -gt 0 ]; then echo "$tf" >> "$OUT/t-ferry"; echo "$tr" >> "$OUT/t-rclone"; fi
done
mf=$(median < "$OUT/t-ferry"); mr=$(median < "$OUT/t-rclone")
printf '# %s objects of %s under s3://%s/%s/, %s runs each, 8 at once, alternating order\n' "$COUNT" "$SIZE" "$BUCKET" "$PREFIX" "$RUNS"
printf '%-8s %9s %9s %9s\n' tool median_s min_s max_s
printf '%-8s %9.2f %9.2f %9.2f\n' rclone "$mr" "$(sort -n "$OUT/t-rclone" | head -1)" "$(sort -n "$OUT/t-rclone" | tail -1)"
printf '%-8s %9.2f %9.2f %9.2f\n' ferry "$mf" "$(sort -n "$OUT/t-ferry" | head -1)" "$(sort -n "$OUT/t-ferry" | tail -1)"
printf 'ferry/rclone %.3f\n' "$(echo "$mf / $mr" | bc -l)"
