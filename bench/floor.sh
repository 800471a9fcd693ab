#!/usr/bin/env bash
# bench/floor.sh - the floor under scenario (d) on this machine: bench/tools/SmallFloor.java (a bare loop of
# one GET, MD5 check, force and rename per object, on Ferry's own S3 store and HTTP client, with nothing of the
# engine or the command line) beside `ferry download` and `rclone copy` of the same prefix, alternating runs
# against the same server. Splits Ferry's time into what the JVM and HTTP stack cost (floor vs rclone) and what
# the engine and command add (ferry vs floor).
#
#   bench/floor.sh --endpoint http://127.0.0.1:18041 [--bucket bench] [--prefix small-1000-64K] [--runs 5]
#                  [--image target/jpackage/image/ferry]
#
# --image: the app image whose runtime, jar and class-data archive run both Ferry (its lib/ferry.sh) and the
# floor, with the options that launcher uses for a command-line run (read from it), so both start alike. Objects: those bench/small.sh
# uploads. Expects the kit's environment (source ../shared/bench/env.sh).
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
EP=""; BUCKET=bench; PREFIX=small-1000-64K; RUNS=5; IMAGE=$ROOT/target/jpackage/image/ferry
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint) EP=$2; shift 2;; --bucket) BUCKET=$2; shift 2;; --prefix) PREFIX=$2; shift 2;;
    --runs) RUNS=$2; shift 2;; --image) IMAGE=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -n "$EP" ] || { echo "--endpoint is required" >&2; exit 2; }
IMAGE=$(cd "$IMAGE" 2>/dev/null && pwd) || { echo "no app image at $IMAGE (mvn -Ppackage -DskipTests package)" >&2; exit 2; }
JAVA=$IMAGE/lib/runtime/bin/java; APP=$IMAGE/lib/app; JAR=$APP/ferry.jar
# the JVM options Ferry starts with: the image's launcher configuration, plus what lib/ferry.sh adds for a
# command-line run
OPTS=()
while IFS= read -r line; do
  case $line in java-options=*) o=${line#java-options=}; OPTS+=("${o//\$APPDIR/$APP}");; esac
done < "$APP/ferry.cfg"
while IFS= read -r o; do OPTS+=("$o"); done < <(sed -n 's/^ *options+=("\(-[^"]*\)")$/\1/p' "$IMAGE/lib/ferry.sh")
OUT=$(mktemp -d /dev/shm/ferry-floor.XXXXXX 2>/dev/null || mktemp -d)
export FERRY_HOME=$OUT/home
trap 'rm -rf "$OUT"' EXIT
javac -d "$OUT/classes" -cp "$JAR" "$HERE/tools/SmallFloor.java"

export RCLONE_CONFIG_BENCH_TYPE=s3 RCLONE_CONFIG_BENCH_PROVIDER=Other RCLONE_CONFIG_BENCH_ENDPOINT="$EP" \
       RCLONE_CONFIG_BENCH_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID" RCLONE_CONFIG_BENCH_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY" \
       RCLONE_CONFIG_BENCH_FORCE_PATH_STYLE=true RCLONE_CONFIG_BENCH_REGION=us-east-1 RCLONE_CONFIG=/dev/null
time_of() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
fresh() { rm -rf "$OUT/d" "$FERRY_HOME"; mkdir -p "$OUT/d"; }
run() {
  case $1 in
    floor) fresh; time_of "$JAVA" "${OPTS[@]}" -cp "$JAR:$OUT/classes" SmallFloor "$EP" "$BUCKET" "$PREFIX/" "$OUT/d" 8;;
    ferry) fresh; time_of "$IMAGE/lib/ferry.sh" download "s3://$BUCKET/$PREFIX/" "$OUT/d" --endpoint "$EP" \
             --region us-east-1 --objects 8;;
    rclone) fresh; time_of rclone copy "bench:$BUCKET/$PREFIX" "$OUT/d" --transfers 8 -q;;
  esac
  # every tool must have fetched every object (as many files as the listing names, and some)
  local n; n=$(find "$OUT/d" -type f | wc -l)
  [ "$n" -gt 0 ] && [ "$n" -eq "$EXPECT" ] || { echo "$1 got $n files, expected $EXPECT" >&2; exit 1; }
}
EXPECT=$(rclone lsf -R "bench:$BUCKET/$PREFIX" --files-only 2>/dev/null | wc -l)
[ "$EXPECT" -gt 0 ] || { echo "no objects under s3://$BUCKET/$PREFIX/ (bench/small.sh uploads them)" >&2; exit 2; }
TOOLS=(rclone floor ferry)
for t in "${TOOLS[@]}"; do : > "$OUT/t-$t"; done
for i in $(seq 0 "$RUNS"); do           # run 0 is a warm-up for each
  order=("${TOOLS[@]}"); [ $((i % 2)) -eq 1 ] && order=(ferry floor rclone)
  for t in "${order[@]}"; do
    s=$(run "$t") && [ -n "$s" ] || exit 1
    [ "$i" -gt 0 ] && echo "$s" >> "$OUT/t-$t"
  done
done
printf '# %s under s3://%s/, %s runs each, 8 at once, alternating order\n' "$PREFIX" "$BUCKET" "$RUNS"
printf '%-8s %9s %9s %9s\n' tool median_s min_s max_s
for t in "${TOOLS[@]}"; do
  printf '%-8s %9.2f %9.2f %9.2f\n' "$t" "$(median < "$OUT/t-$t")" "$(sort -n "$OUT/t-$t" | head -1)" "$(sort -n "$OUT/t-$t" | tail -1)"
done
mr=$(median < "$OUT/t-rclone"); mf=$(median < "$OUT/t-floor"); mx=$(median < "$OUT/t-ferry")
printf 'floor/rclone %.3f   ferry/floor %.3f   ferry/rclone %.3f\n' "$(echo "$mf / $mr" | bc -l)" \
  "$(echo "$mx / $mf" | bc -l)" "$(echo "$mx / $mr" | bc -l)"
