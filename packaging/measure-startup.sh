#!/usr/bin/env bash
# Start-up time of the packaged app, with and without its class-data archive, each way taken in turns so a busy
# machine slows both alike:
#   the command line: the median wall time of RUNS runs of `ferry --help`;
#   the window (where DISPLAY or WAYLAND_DISPLAY is set): the median time from start until it shows and takes
#   links (it publishes its address in its data folder then), over RUNS/4 starts in a scratch data folder.
#   packaging/measure-startup.sh [LAUNCHER] [RUNS]
# LAUNCHER defaults to the app image Maven builds (target/jpackage/image/ferry/bin/ferry); /usr/bin/ferry measures
# the installed .deb. "without" starts the same launcher with -Xshare:off (through _JAVA_OPTIONS, which comes last
# and so wins over the launcher's own options): nothing is mapped.
set -euo pipefail
launcher=${1:-"$(dirname "$0")/../target/jpackage/image/ferry/bin/ferry"}
runs=${2:-20}
[ -x "$launcher" ] || { echo "measure-startup.sh: no launcher at $launcher (build it: mvn -Ppackage -DskipTests package)" >&2; exit 2; }

once() { # prints one run's wall time in milliseconds
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(( (end - start) / 1000000 ))
}
window_once() { # prints the milliseconds until a new window takes links, then closes it
    local home start end pid
    home=$(mktemp -d)
    start=$(date +%s%N)
    FERRY_HOME=$home FERRY_SECRETS=file "$launcher" >/dev/null 2>&1 &
    pid=$!
    while [ ! -f "$home/app-instance.json" ] && kill -0 "$pid" 2>/dev/null; do sleep 0.02; done
    end=$(date +%s%N)
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$home"
    echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

with=() without=()
once "$launcher" --help >/dev/null # the first run after a build reads the files from disk: not counted
for _ in $(seq "$runs"); do
    with+=("$(once "$launcher" --help)")
    without+=("$(_JAVA_OPTIONS=-Xshare:off once "$launcher" --help)")
done
echo "ferry --help, median of $runs runs: with class-data sharing $(printf '%s\n' "${with[@]}" | median) ms," \
    "without $(printf '%s\n' "${without[@]}" | median) ms"

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    starts=$(( runs / 4 > 0 ? runs / 4 : 1 ))
    with=() without=()
    for _ in $(seq "$starts"); do
        with+=("$(window_once)")
        without+=("$(_JAVA_OPTIONS=-Xshare:off window_once)")
    done
    echo "ferry (the window, until it takes links), median of $starts starts: with class-data sharing" \
        "$(printf '%s\n' "${with[@]}" | median) ms, without $(printf '%s\n' "${without[@]}" | median) ms"
fi
