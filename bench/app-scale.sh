#!/usr/bin/env bash
# bench/app-scale.sh - the desktop app at scale: 10,000 queued transfers in the real main window, and 20 downloads
# at full speed beside them (and limited to 100 MB/s in all); rewrites the "Desktop app at scale" section of
# bench/RESULTS.md.
#
#   bench/app-scale.sh [--kit DIR] [--port 18041] [--no-results] [-- BENCH_OPTIONS...]
#
# Builds the test classes (mvn -o, into $FERRY_BUILD_DIR, default target/), starts the shared kit's s3proxy on
# 127.0.0.1:PORT unless it runs already, puts four 256 MiB objects (scale-1.bin .. scale-4.bin) into bucket
# "bench", runs dev.ferry.bench.QueueScaleBench (headless through Monocle when there is no display), and stops
# the s3proxy again when it started it. Options after -- go to the bench, e.g. -- --rows 20000 --profile.
# Downloads go to /dev/shm (5.4 GiB at most while 20 run) and are deleted at the end.
# A benchmark, not a test: the numbers depend on the machine and on what else runs on it.
set -euo pipefail
HERE=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
PORT=18041; RESULTS=1; BENCH_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --kit) KIT=$2; shift 2;; --port) PORT=$2; shift 2;; --no-results) RESULTS=0; shift;;
    --) shift; BENCH_ARGS=("$@"); break;;
    -h|--help) awk 'NR>1 && /^#/{print; next} NR>1{exit}' "$0"; exit 0;;
    *) echo "unknown arg $1" >&2; exit 2;;
  esac
done
[ -x "$KIT/start-s3.sh" ] || { echo "benchmark kit not found at $KIT (use --kit DIR)" >&2; exit 2; }
export BENCH_STATE=${BENCH_STATE:-/tmp/ferry-bench}
source "$KIT/env.sh"
BUILD=${FERRY_BUILD_DIR:-$ROOT/target}
ENDPOINT=http://127.0.0.1:$PORT

(cd "$ROOT" && mvn -B -q -o -Dferry.buildDir="$BUILD" test-compile \
  && mvn -B -q -o -Dferry.buildDir="$BUILD" dependency:build-classpath -Dmdep.includeScope=test \
       -Dmdep.outputFile="$BUILD/app-scale.classpath" >/dev/null)
CP=$BUILD/test-classes:$BUILD/classes:$(cat "$BUILD/app-scale.classpath")

STARTED=0
if ! "$KIT/start-s3.sh" --status --port "$PORT" >/dev/null 2>&1; then
  "$KIT/start-s3.sh" --port "$PORT" >/dev/null
  STARTED=1
fi
cleanup() { if [ "$STARTED" = 1 ]; then "$KIT/start-s3.sh" --stop --port "$PORT" >/dev/null || true; fi; }
trap cleanup EXIT
for i in 1 2 3 4; do
  "$KIT/make-object.sh" --endpoint "$ENDPOINT" --bucket bench --key "scale-$i.bin" --size 256M >/dev/null
done

JFX=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  JFX=(-Dglass.platform=Monocle -Dmonocle.platform=Headless -Dprism.order=sw -Djava.awt.headless=true)
fi
OUT=$BENCH_STATE/results/app-scale.txt; mkdir -p "$(dirname "$OUT")"
java -Xmx2g "${JFX[@]}" -cp "$CP" dev.ferry.bench.QueueScaleBench --endpoint "$ENDPOINT" --bucket bench \
    --keys 'scale-%d.bin' --objects 4 "${BENCH_ARGS[@]}" 2> >(grep -v '^WARNING: Unsupported JavaFX configuration' >&2) \
  | tee "$OUT"

[ "$RESULTS" = 1 ] || exit 0
# Replace (or append) the section "## Desktop app at scale" in RESULTS.md, keeping every other section as it is.
SECTION=$(mktemp)
{
  echo "## Desktop app at scale"
  echo
  echo "Written by \`bench/app-scale.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(uname -r), $(java -version 2>&1 | head -1))."
  echo "The real main window (1200x800, headless Monocle with software rendering when no display is there) over"
  echo "10,000 paused downloads; then 20 downloads of 256 MiB objects from the kit's s3proxy at full speed, each"
  echo "replaced by a new one at the top when it completes; then the same 20 limited to 100 MB/s in all."
  echo "Each phase also while the table is scrolled by 97 rows every frame. refresh() is the queue model's 250 ms"
  echo "tick on the FX thread. Benchmark options: ${BENCH_ARGS[*]:-(defaults)}."
  echo
  sed -n '/^| measure |/,$p' "$OUT"
} > "$SECTION"
python3 - "$HERE/RESULTS.md" "$SECTION" <<'EOF'
import re, sys
path, section = sys.argv[1], open(sys.argv[2]).read().rstrip("\n") + "\n"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# Benchmark results\n"
# the section runs from its heading to the next heading (it has none of its own)
m = re.search(r"^## Desktop app at scale\n.*?(?=^#{1,6} |\Z)", text, flags=re.S | re.M)
if m:
    text = text[:m.start()] + section + ("\n" if m.end() < len(text) else "") + text[m.end():]
else:
    text = text.rstrip("\n") + "\n\n" + section
open(path, "w").write(text)
EOF
rm -f "$SECTION"
echo "wrote the \"Desktop app at scale\" section of $HERE/RESULTS.md"
