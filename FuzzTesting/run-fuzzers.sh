#!/usr/bin/env bash
# Runs every libFuzzer target of FuzzTesting/ for FUZZ_SECONDS seconds each, one after the other.
#
#   FUZZ_SECONDS=60 ./FuzzTesting/run-fuzzers.sh .build-fuzz/debug
#
# Each target starts from a copy of FuzzTesting/Corpus/<Target>/ plus the saved regression inputs
# Tests/LDAPProtocolTests/Fixtures/fuzz-regressions/<Target>-*.bin, in a temporary directory, so the
# repository is never written to. Crash, timeout and out-of-memory inputs go to a temporary artifacts
# directory. Exits non-zero if a target is missing or finds anything, printing each artifact's path and hex.
# Total time: about 4 × FUZZ_SECONDS plus a few seconds per target to load its corpus.

set -euo pipefail

readonly TARGETS=(FuzzLDAPMessage FuzzDN FuzzFilterString FuzzLDIF)
readonly FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
readonly MAX_LEN="${FUZZ_MAX_LEN:-65536}"

if [[ $# -ne 1 ]]; then
    echo "usage: FUZZ_SECONDS=N $0 BUILD_DIR   (e.g. .build-fuzz/debug)" >&2
    exit 2
fi
if ! [[ "$FUZZ_SECONDS" =~ ^[0-9]+$ ]] || [[ "$FUZZ_SECONDS" -lt 1 ]]; then
    echo "FUZZ_SECONDS must be a positive number of seconds, not '$FUZZ_SECONDS'" >&2
    exit 2
fi

build_dir="$(cd "$1" && pwd)"
fuzz_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
regressions="$fuzz_dir/../Tests/LDAPProtocolTests/Fixtures/fuzz-regressions"
work="$(mktemp -d "${TMPDIR:-/tmp}/annuaire-fuzz.XXXXXX")"
# Artifacts outlive the run when something was found, so they can be inspected and saved.
keep_work=no
cleanup() { [[ "$keep_work" == yes ]] || rm -rf "$work"; }
trap cleanup EXIT

# LeakSanitizer reports the Swift runtime's lazily built metadata caches; leaks are not what we hunt here.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"

hex() { od -An -v -tx1 "$1" | tr -d ' \n' | head -c 8192; echo; }

failed=()
for target in "${TARGETS[@]}"; do
    binary="$build_dir/$target"
    if [[ ! -x "$binary" ]]; then
        echo "== $target: no binary at $binary (did 'make fuzz-build' build it?)" >&2
        failed+=("$target (not built)")
        continue
    fi
    corpus="$work/$target/corpus"
    artifacts="$work/$target/artifacts"
    mkdir -p "$corpus" "$artifacts"
    if [[ -d "$fuzz_dir/Corpus/$target" ]]; then
        cp "$fuzz_dir/Corpus/$target"/. "$corpus"/ -R
    fi
    if [[ -d "$regressions" ]]; then
        find "$regressions" -maxdepth 1 -type f -name "$target-*" -exec cp {} "$corpus"/ \;
    fi

    echo "== $target: $FUZZ_SECONDS s from $(find "$corpus" -type f | wc -l) seed inputs"
    log="$work/$target/fuzz.log"
    status=0
    # `timeout` is a backstop should the target wedge outside libFuzzer's own clock.
    timeout --signal=KILL "$((FUZZ_SECONDS + 120))" "$binary" \
        -max_total_time="$FUZZ_SECONDS" \
        -max_len="$MAX_LEN" \
        -rss_limit_mb=2048 \
        -malloc_limit_mb=2048 \
        -timeout=10 \
        -print_final_stats=1 \
        -artifact_prefix="$artifacts/" \
        "$corpus" >"$log" 2>&1 || status=$?

    grep -E '^(Done|stat::number_of_executed_units|stat::peak_rss_mb)' "$log" | sed "s/^/   /" || true
    found=("$artifacts"/*)
    if [[ $status -ne 0 || -e "${found[0]}" ]]; then
        keep_work=yes
        failed+=("$target")
        echo "!! $target failed (exit $status); log: $log" >&2
        grep -E -A 30 '^==[0-9]+==ERROR|Fatal error|SUMMARY|ALARM|out-of-memory|deadly signal' "$log" \
            | head -60 >&2 || tail -40 "$log" >&2
        for artifact in "${found[@]}"; do
            [[ -e "$artifact" ]] || continue
            echo "   artifact: $artifact ($(wc -c <"$artifact") bytes)" >&2
            echo "   hex: $(hex "$artifact")" >&2
        done
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzzing failed: ${failed[*]}; inputs and logs kept in $work" >&2
    echo "save a finding as Tests/LDAPProtocolTests/Fixtures/fuzz-regressions/<Target>-<name>.bin" >&2
    exit 1
fi
echo "fuzzing passed: ${TARGETS[*]}, $FUZZ_SECONDS s each"
