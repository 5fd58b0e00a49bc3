#!/usr/bin/env bash
# Fuzz/run.sh SECONDS [HARNESS...]: builds the fuzz harnesses (libFuzzer + AddressSanitizer),
# then runs each one (all of them by default) for SECONDS on a temporary copy of its seed
# corpus in Fuzz/corpus/<harness>/, so the committed corpus is not flooded. Prints the
# executions per harness; exits non-zero if any harness finds a crash, a sanitizer report,
# a timeout (10 s for one input) or an out-of-memory (2 GB in all, 512 MB in one allocation),
# and prints where the failing input was saved (replay it: <binary> <input file>).
# Environment: FUZZ_RUNS=N also stops a harness after N executions; FUZZ_SKIP_BUILD=1 reuses
# the last build (for running two scripts side by side); FUZZ_SCRATCH is the build folder;
# FUZZ_SEED=N fixes libFuzzer's random seed (CI), so a run explores the same inputs each time.
set -uo pipefail
cd "$(dirname "$0")/.."
# Swift's own crash backtracer would race ASan's report; libFuzzer prints the stack instead.
export SWIFT_BACKTRACE=enable=no
seconds=${1:?usage: Fuzz/run.sh SECONDS [HARNESS...]}
shift
all=(fuzz-idx fuzz-csv fuzz-npy fuzz-safetensors fuzz-bpe-vocabulary fuzz-checkpoint fuzz-gpt-checkpoint fuzz-adapter)
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")
scratch=${FUZZ_SCRATCH:-$PWD/.build-fuzz}
build=(swift build --package-path Fuzz --scratch-path "$scratch"
       -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    start=$(date +%s)
    # (grep drops the linker's hundreds of harmless "Cannot export local symbol '__asan_…'" warnings)
    "${build[@]}" 2>&1 | { grep -v "Cannot export local symbol" || true; }
    [ "${PIPESTATUS[0]}" -eq 0 ] || exit 1
    echo "fuzz build: $(( $(date +%s) - start )) s"
fi
bin=$("${build[@]}" --show-bin-path)
work=$(mktemp -d "${TMPDIR:-/tmp}/mllab-fuzz.XXXXXX")
failed=0
for harness in "${harnesses[@]}"; do
    if [ ! -x "$bin/$harness" ]; then echo "$harness: no such harness (one of: ${all[*]})"; failed=1; continue; fi
    case $harness in  # checkpoints of the tiny models are a few KB; the other seeds are < 300 bytes
        fuzz-checkpoint|fuzz-gpt-checkpoint|fuzz-adapter) max_len=16384 ;;
        *) max_len=4096 ;;
    esac
    dir=$work/$harness
    mkdir -p "$dir/corpus"
    cp Fuzz/corpus/"$harness"/* "$dir/corpus/"
    runs=()
    [ -n "${FUZZ_RUNS:-}" ] && runs+=(-runs="$FUZZ_RUNS")
    [ -n "${FUZZ_SEED:-}" ] && runs+=(-seed="$FUZZ_SEED")
    "$bin/$harness" "$dir/corpus" -max_total_time="$seconds" "${runs[@]}" -max_len="$max_len" \
        -rss_limit_mb=2048 -malloc_limit_mb=512 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$dir/" > "$dir/log" 2>&1
    status=$?
    executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || true)
    time=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$dir/log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' || true)
    if [ $status -eq 0 ]; then
        echo "$harness: ${executions:-?} executions in ${time:-$seconds} s, no crash"
    else
        failed=1
        echo "$harness: FAILED (exit $status) after ${executions:-?} executions; log: $dir/log"
        grep -E '^==[0-9]+==ERROR|^SUMMARY|Fatal error|ALARM|out-of-memory|malloc\(' "$dir/log" | head -5
        for input in "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* "$dir"/leak-* "$dir"/slow-unit-*; do
            [ -e "$input" ] && echo "  failing input: $input (replay: $bin/$harness $input)"
        done
    fi
done
[ $failed -eq 0 ] && rm -rf "$work"
exit $failed
