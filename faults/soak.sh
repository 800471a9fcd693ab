#!/usr/bin/env bash
# Soak run of the fault-injection suite: runs the crash, network, server and local fault tests again and
# again for a time budget, each run in a fresh JVM with a fresh s3proxy and a fresh seed, with their loops
# made longer (-Dferry.soak.rounds), then prints a table: scenario x runs x outcome.
#
#   faults/soak.sh [--minutes N] [--rounds R] [--tests CLASSES] [--out DIR] [-- extra maven arguments]
#
#   --minutes N    time budget; a run that starts before it ends is finished (default 10)
#   --rounds R     -Dferry.soak.rounds: CrashLoopIT kills 20 x R times in a row, NetworkFaultsIT repeats its
#                  reset scenarios R times (default 2; the suite in mvn verify runs with 1)
#   --tests LIST   the test classes, comma-separated (default: CrashLoopIT,NetworkFaultsIT,ServerFaultsIT,
#                  LocalFaultsIT,CopyRecoveryIT)
#   --out DIR      where each run's reports, the log and the table go (default target/soak)
#   -- ARGS        passed to Maven, e.g. -- -o -Dferry.buildDir=/tmp/soak-build
#
# A failed scenario names the run and its seed; -Dferry.faults.seed=SEED replays the same kill moments and
# reset offsets. Exit code: 0 when every run of every scenario passed, 1 otherwise.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
minutes=10
rounds=2
tests=CrashLoopIT,NetworkFaultsIT,ServerFaultsIT,LocalFaultsIT,CopyRecoveryIT
out=$root/target/soak
maven_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) minutes=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --tests) tests=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --) shift; maven_args=("$@"); break ;;
        -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "soak.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done

# the build folder: the one given to Maven with -Dferry.buildDir, else target
build=$root/target
for a in "${maven_args[@]+"${maven_args[@]}"}"; do
    case "$a" in -Dferry.buildDir=*) build=${a#-Dferry.buildDir=} ;; esac
done

mkdir -p "$out"
rm -rf "${out:?}"/run-*
: > "$out/results.tsv"
# every temp file of a run (s3proxy's data, the fault artifacts) goes here and is removed after the run
scratch=$out/tmp
log=$out/soak.log
: > "$log"
start=$(date +%s)
deadline=$(( start + minutes * 60 ))
run=0
broken=0
echo "soak: ${minutes} min of $tests with -Dferry.soak.rounds=$rounds; reports in $out"

# One line per test case of a run's XML reports: run, seed, scenario, outcome, seconds.
collect() {
    local n=$1 seed=$2 dir=$3
    for xml in "$dir"/TEST-*.xml; do
        [ -e "$xml" ] || continue
        awk -v run="$n" -v seed="$seed" '
            function attr(line, name,    m) {
                if (match(line, name "=\"[^\"]*\"")) {
                    m = substr(line, RSTART + length(name) + 2, RLENGTH - length(name) - 3)
                    return m
                }
                return ""
            }
            function emit() {
                if (name != "") {
                    printf "%s\t%s\t%s.%s\t%s\t%s\n", run, seed, cls, name, outcome, time
                }
                name = ""
            }
            /<testcase / {
                emit()
                name = attr($0, "name"); time = attr($0, "time"); outcome = "passed"
                cls = attr($0, "classname"); sub(/.*\./, "", cls)
                if ($0 ~ /\/>[[:space:]]*$/) { emit() }
                next
            }
            /<failure|<error/ { if (name != "") outcome = "FAILED" }
            /<skipped/ { if (name != "") outcome = "skipped" }
            /<\/testcase>/ { emit() }
            END { emit() }
        ' "$xml"
    done
}

while [ "$(date +%s)" -lt "$deadline" ]; do
    run=$((run + 1))
    seed=$(( (RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM ))
    mkdir -p "$scratch"
    rm -rf "$build/surefire-reports"
    started=$(date +%s)
    (cd "$root" && mvn -B -q "${maven_args[@]+"${maven_args[@]}"}" test -Dtest="$tests" \
        -Dsurefire.failIfNoSpecifiedTests=false -Dferry.soak.rounds="$rounds" -Dferry.faults.seed="$seed" \
        -DargLine="-Djava.io.tmpdir=$scratch") >> "$log" 2>&1
    rc=$?
    mkdir -p "$out/run-$run"
    cp "$build"/surefire-reports/*.xml "$build"/surefire-reports/*-output.txt "$out/run-$run/" 2>/dev/null
    rm -rf "${scratch:?}"
    cases=$(collect "$run" "$seed" "$out/run-$run" | tee -a "$out/results.tsv" | wc -l)
    failed=$(awk -F'\t' -v r="$run" '$1 == r && $4 == "FAILED"' "$out/results.tsv" | wc -l)
    echo "run $run: seed $seed, $cases cases, $failed failed, maven exit $rc, $(( $(date +%s) - started )) s"
    if [ "$cases" -eq 0 ]; then
        echo "run $run produced no test reports (the build failed?); see $log"
        broken=1
        break
    fi
done

table=$out/soak-table.md
{
    echo "Soak: $run run(s) of $tests in $(( ($(date +%s) - start + 30) / 60 )) min, -Dferry.soak.rounds=$rounds"
    echo
    echo "| scenario | runs | passed | failed | skipped | mean s | max s |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    awk -F'\t' '
        { runs[$3]++; n[$3, $4]++; t[$3] += $5; if ($5 > max[$3]) max[$3] = $5 }
        END {
            for (s in runs) {
                printf "| %s | %d | %d | %d | %d | %.1f | %.1f |\n", s, runs[s], n[s, "passed"], n[s, "FAILED"],
                    n[s, "skipped"], t[s] / runs[s], max[s]
            }
        }' "$out/results.tsv" | sort
    awk -F'\t' '{ runs++; n[$4]++ } END {
        printf "| **all** | %d | %d | %d | %d | | |\n", runs, n["passed"], n["FAILED"], n["skipped"] }' "$out/results.tsv"
    if [ "$broken" -eq 1 ]; then
        echo
        echo "Run $run produced no test reports; see $log"
    fi
    if awk -F'\t' '$4 == "FAILED"' "$out/results.tsv" | grep -q .; then
        echo
        echo "Failed runs (replay with -Dferry.faults.seed=SEED):"
        awk -F'\t' '$4 == "FAILED" { printf "- run %s, seed %s: %s\n", $1, $2, $3 }' "$out/results.tsv"
    fi
} > "$table"
echo
cat "$table"
[ "$broken" -eq 0 ] && ! awk -F'\t' '$4 == "FAILED"' "$out/results.tsv" | grep -q .
