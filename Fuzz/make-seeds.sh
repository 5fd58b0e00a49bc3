#!/usr/bin/env bash
# Fuzz/make-seeds.sh: rewrites the seed corpora Fuzz/corpus/<harness>/ with each harness's small
# valid files, made by MLLab's own writers (see writeSeedsIfAsked in FuzzSupport). Run after
# Fuzz/run.sh has built the harnesses, and when a file format changes.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(swift build --package-path Fuzz --scratch-path "${FUZZ_SCRATCH:-$PWD/.build-fuzz}" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
for harness in fuzz-idx fuzz-csv fuzz-npy fuzz-safetensors fuzz-bpe-vocabulary fuzz-checkpoint fuzz-gpt-checkpoint fuzz-adapter; do
    rm -rf "Fuzz/corpus/$harness"
    # Leak checking off: the process exits from LLVMFuzzerInitialize, with the model still alive.
    ASAN_OPTIONS=detect_leaks=0 MLLAB_FUZZ_WRITE_SEEDS="Fuzz/corpus/$harness" "$bin/$harness" -runs=0 "$empty" > /dev/null 2>&1
    echo "$harness: $(ls "Fuzz/corpus/$harness" | wc -l) seeds"
done
