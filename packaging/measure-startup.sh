#!/usr/bin/env bash
# Start-up time of the packaged command line, with and without its class-data archive: the median wall time of
# RUNS runs of `ferry --help` each way, taken in turns so a busy machine slows both alike.
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
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

with=() without=()
once "$launcher" --help >/dev/null # the first run after a build reads the files from disk: not counted
for _ in $(seq "$runs"); do
    with+=("$(once "$launcher" --help)")
    without+=("$(_JAVA_OPTIONS=-Xshare:off once "$launcher" --help)")
done
echo "ferry --help, median of $runs runs: with class-data sharing $(printf '%s\n' "${with[@]}" | median) ms," \
    "without $(printf '%s\n' "${without[@]}" | median) ms"
