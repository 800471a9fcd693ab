#!/usr/bin/env bash
# bench/copy.sh - server-side copy of one object: `ferry copy` vs `aws s3 cp s3://a/k s3://b/k --copy-props none`,
# alternating runs (in alternating order) against the same server, from an empty destination bucket;
# prints each tool's median wall time and the ratio.
#
#   bench/copy.sh --endpoint http://127.0.0.1:18041 --bucket bench --key obj1g.bin [--runs 5] [--ferry "java -jar target/ferry.jar"]
#
# Expects the kit's environment (source ../shared/bench/env.sh): credentials, AWS=/usr/bin/aws, no AWS_CA_BUNDLE.
set -euo pipefail
EP=""; BUCKET=bench; KEY=""; RUNS=5; FERRY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --endpoint) EP=$2; shift 2;; --bucket) BUCKET=$2; shift 2;; --key) KEY=$2; shift 2;;
    --runs) RUNS=$2; shift 2;; --ferry) FERRY=$2; shift 2;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -n "$EP" ] && [ -n "$KEY" ] && [ -n "$FERRY" ] || { echo "--endpoint, --key and --ferry are required" >&2; exit 2; }
AWS=${AWS:-/usr/bin/aws}
DEST=${BUCKET}-copies
$AWS --endpoint-url "$EP" s3 mb "s3://$DEST" >/dev/null 2>&1 || true
# start from an empty destination bucket: the file-system server's CompleteMultipartUpload slows down with
# what else the bucket's folder holds, and leftovers of earlier runs would favour whichever tool ran first
$AWS --endpoint-url "$EP" s3 rm --recursive "s3://$DEST/" >/dev/null 2>&1 || true
export FERRY_HOME=$(mktemp -d)
trap 'rm -rf "$FERRY_HOME"' EXIT

time_of() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null; t1=$(date +%s.%N); echo "$t1 - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# the server writes each copy twice (parts, then the completed object): let the disk settle before a run,
# so no run pays for the previous one's writeback
rm_dest() { $AWS --endpoint-url "$EP" s3 rm "s3://$DEST/$1" >/dev/null 2>&1 || true; sync; sleep 2; }

read -r -a FERRY_CMD <<< "$FERRY"
: > /tmp/copy-aws.txt; : > /tmp/copy-ferry.txt
run_aws() { rm_dest aws.bin; ta=$(time_of $AWS --endpoint-url "$EP" s3 cp "s3://$BUCKET/$KEY" "s3://$DEST/aws.bin" --copy-props none --only-show-errors); }
run_ferry() { rm_dest ferry.bin; tf=$(time_of "${FERRY_CMD[@]}" copy "s3://$BUCKET/$KEY" "s3://$DEST/ferry.bin" --endpoint "$EP" --region us-east-1); }
for i in $(seq 0 "$RUNS"); do           # run 0 is a warm-up for both
  # the order alternates, so neither tool always follows the other's writeback
  if [ $((i % 2)) -eq 0 ]; then run_aws; run_ferry; else run_ferry; run_aws; fi
  if [ "$i" -gt 0 ]; then echo "$ta" >> /tmp/copy-aws.txt; echo "$tf" >> /tmp/copy-ferry.txt; fi
done
ma=$(median < /tmp/copy-aws.txt); mf=$(median < /tmp/copy-ferry.txt)
size=$($AWS --endpoint-url "$EP" s3api head-object --bucket "$DEST" --key ferry.bin --query ContentLength --output text)
want=$($AWS --endpoint-url "$EP" s3api head-object --bucket "$BUCKET" --key "$KEY" --query ContentLength --output text)
[ "$size" = "$want" ] || { echo "ferry's copy has $size bytes, the source $want" >&2; exit 1; }
printf '# server-side copy of s3://%s/%s (%s bytes), %s runs each, alternating order\n' "$BUCKET" "$KEY" "$want" "$RUNS"
printf '%-10s %9s %9s %9s\n' tool median_s min_s max_s
printf '%-10s %9.2f %9.2f %9.2f\n' awscli "$ma" "$(sort -n /tmp/copy-aws.txt | head -1)" "$(sort -n /tmp/copy-aws.txt | tail -1)"
printf '%-10s %9.2f %9.2f %9.2f\n' ferry "$mf" "$(sort -n /tmp/copy-ferry.txt | head -1)" "$(sort -n /tmp/copy-ferry.txt | tail -1)"
printf 'ferry/awscli %.3f\n' "$(echo "$mf / $ma" | bc -l)"
