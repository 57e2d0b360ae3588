# `scripts/test --sanitize thread|address`: ThreadSanitizer or AddressSanitizer over the tests that
# drive the threads, the C callbacks and the unretained pointers (issue 26). Sourced by scripts/test.
#
# Everything is built sanitized in its own scratch folder (.build-tsan, .build-asan), so the end-to-end
# tests start the sanitized stress-test-db and lamb-sim from there (TestSupport finds the binaries
# beside the test bundle, and passes *SAN_OPTIONS on to them). Every report is written to
# $scratch/sanitizer-reports; the lane fails if there is one, whatever the tests said.

# The CurlEngine and LoadCore unit tests (the engine against real loopback servers, its decisions), the
# record pipeline driven by a scripted runner on its own thread, then end-to-end
# runs of the sanitized binaries: plain HTTP with every output and the record pipeline, the URLSession
# runner, TLS through nginx, HTTP/2 (streams, conversations, Ctrl-C), streaming, --loops 3, Ctrl-C at
# 1000 VUs, --metrics (Hummingbird's threads reading the board), --preconnect (the loops' gate, Ctrl-C in it).
sanitize_filter() {
    local e2e="StressTestDBTests\\."
    local tests=(
        "CurlEngineTests\\."
        "LoadCoreTests\\."
        "${e2e}(RecordCollectorTests|RecordPipelineTests|RunSessionTests)/"
        "${e2e}EndToEndTests/test(AllOutputsAgreeAndCountEveryRequest|ResponsesAreWrittenWhileTheRunGoes|URLSessionRunner.*)$"
        "${e2e}HTTP2Tests/test(RequestsMultiplexOverTheConnectionsAskedForOverTLS|StreamsAndConversationsOverHTTP2|CtrlCOverHTTP2RecordsEveryRequestOnce|TLSSessionsAreResumedAcrossReconnects)$"
        "${e2e}StreamingTests/testEveryBrokenStreamIsCountedByKind$"
        "${e2e}LoopsTests/test(RequestCountIsExactOverLoopsAndEveryVUSends|SIGINTStopsEveryLoopAndKeepsEveryRecord)$"
        "${e2e}ReliabilityTests/test(SIGINTAtAThousandVUsStopsQuicklyAndWritesEverything|URLSessionRunnerAt500VUsEndsCleanlyOnSIGINT)$"
        "${e2e}MetricsTests/testMetricsParseWithTheReferenceParserAndEqualTheRunsTotals$"
        "${e2e}TLSTests/"
        "${e2e}PreconnectEndToEndTests/"
    )
    local IFS="|"
    echo "${tests[*]}"
}

# Left out, as timing checks that a sanitized lamb-sim on a busy 2-core machine misses (what they check
# is not about threads): more than 10 records from 10 VUs in 1 s at 20 ms each; a streamed answer's mean
# inter-token gap at least 19 ms when the server paces 20 ms (a late first token shortens it).
sanitize_skip="CurlEngineTests\\.CurlEngineTests/testDurationModeStopsOnTime$|StreamingTests/testTimingsFollowThePacing"
# And under ASan (slow unwinding on every malloc): 1000 VUs reaching 1500 requests within 120 s; Ctrl-C
# stays covered by the --loops 3 and HTTP/2 runs.
sanitize_skip_address="ReliabilityTests/testSIGINTAtAThousandVUsStopsQuicklyAndWritesEverything$"

# run_sanitized thread|address [swift test arguments...]
run_sanitized() {
    local kind="${1:-}" scratch
    shift || true
    case "$kind" in
        thread) scratch=.build-tsan ;;
        address) scratch=.build-asan ;;
        *) echo "usage: scripts/test --sanitize thread|address [swift test arguments]" >&2; return 2 ;;
    esac
    local reports="$PWD/$scratch/sanitizer-reports" suppressions="$PWD/scripts/lib/sanitizers"
    rm -rf "$reports" && mkdir -p "$reports"
    # halt_on_error=0: a race is reported and the run goes on, so one lane shows every finding.
    export TSAN_OPTIONS="suppressions=$suppressions/tsan.supp log_path=$reports/tsan halt_on_error=0 second_deadlock_stack=1"
    # fast_unwind_on_malloc=0: libcurl has no frame pointers, and a leak's stack must reach its caller to
    # be told apart (lsan.supp) from ours; 8 frames are enough for that and keep malloc affordable.
    export ASAN_OPTIONS="log_path=$reports/asan detect_leaks=1 detect_stack_use_after_return=1 fast_unwind_on_malloc=0 malloc_context_size=8"
    export LSAN_OPTIONS="suppressions=$suppressions/lsan.supp print_suppressions=0"
    # TSan needs the lower part of the address space: its runtime re-execs itself without ASLR when the
    # kernel randomises more than 28 bits (LLVM 18 and later); setarch -R does it up front where it can.
    local launcher=()
    if [ "$kind" = thread ] && [ "$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 0)" -gt 28 ] \
        && setarch "$(uname -m)" -R true 2>/dev/null; then
        launcher=(setarch "$(uname -m)" -R)
    fi
    local skip="$sanitize_skip"
    [ "$kind" = address ] && skip="$skip|$sanitize_skip_address"
    local started=$SECONDS
    swift build --build-tests --sanitize="$kind" --scratch-path "$scratch"
    echo "Built with --sanitize=$kind in $((SECONDS - started)) s."
    started=$SECONDS
    local status=0
    "${launcher[@]}" swift test --skip-build --sanitize="$kind" --scratch-path "$scratch" --disable-swift-testing \
        --filter "$(sanitize_filter)" --skip "$skip" "$@" || status=$?
    echo "Tests under --sanitize=$kind took $((SECONDS - started)) s (status $status)."
    local found
    found=$(find "$reports" -type f ! -empty | sort)
    if [ -n "$found" ]; then
        echo "Sanitizer reports ($(echo "$found" | wc -l)):" >&2
        for report in $found; do echo "== $report" >&2; cat "$report" >&2; done
        return 1
    fi
    return $status
}
