# libcurl 8 beside the system's 7.88, without touching the system: Debian's bookworm-backports
# package, fetched with `apt-get download` into a scratch folder (apt's lists and cache pointed
# there, the suite added from this machine's own Debian source), unpacked with `dpkg-deb -x`, and
# loaded at run time with LD_LIBRARY_PATH. Sourced by scripts/test and scripts/bench.
#
# ensure_libcurl8 [FOLDER]: prints the folder holding libcurl.so.4 (8.x); fetches it only once.
ensure_libcurl8() {
    local root="${1:-$PWD/.build-libcurl8}"
    local found
    found=$(find "$root/root" -name libcurl.so.4 2>/dev/null | head -1)
    if [ -n "$found" ]; then dirname "$found"; return 0; fi
    mkdir -p "$root/sources.list.d" "$root/lists/partial" "$root/cache/archives/partial" "$root/debs"
    local source
    source=$(ls /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
    local uri
    if [ -n "$source" ]; then
        uri=$(awk '/^URIs:/ { print $2; exit }' "$source")
    else
        uri=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list)
    fi
    [ -n "$uri" ] || { echo "No Debian source found in /etc/apt to add bookworm-backports from." >&2; return 1; }
    cat > "$root/sources.list.d/backports.sources" <<SOURCES
Types: deb
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    local apt_options=(-o "Dir::Etc::sourcelist=/dev/null" -o "Dir::Etc::sourceparts=$root/sources.list.d"
        -o "Dir::State::Lists=$root/lists" -o "Dir::Cache=$root/cache")
    apt-get "${apt_options[@]}" update -qq >&2 || return 1
    (cd "$root/debs" && apt-get "${apt_options[@]}" download -qq libcurl4/bookworm-backports 2>&1 | { grep -v 'unsandboxed' >&2 || true; })
    local deb
    deb=$(ls "$root"/debs/libcurl4_8*.deb | head -1)
    [ -n "$deb" ] || { echo "bookworm-backports has no libcurl4 8.x." >&2; return 1; }
    dpkg-deb -x "$deb" "$root/root"
    found=$(find "$root/root" -name libcurl.so.4 | head -1)
    [ -n "$found" ] || { echo "libcurl.so.4 not found in $deb." >&2; return 1; }
    dirname "$found"
}

# The libcurl 8 lane, `scripts/test --libcurl8`: the CurlEngine unit tests and the TLS, HTTP/2, streaming
# and fault tests with libcurl 8 loaded at run time (the test binaries hand LD_LIBRARY_PATH on to the
# stress-test-db and lamb-sim they start), after checking that 8.x is what actually loads: the binary's
# `--version` line, and in-process LibcurlFeaturesTests with STDB_EXPECT_LIBCURL_MAJOR=8.
# LIBCURL8_ROOT: where ensure_libcurl8 keeps it (default .build-libcurl8). Extra arguments go to swift test.
LIBCURL8_TESTS='CurlEngineTests\.|StressTestDBTests\.(TLSTests|HTTP2Tests|StreamingTests|ReliabilityTests|NetworkFaultTests|PreconnectEndToEndTests)/'
run_libcurl8_lane() {
    local dir line
    dir=$(ensure_libcurl8 "${LIBCURL8_ROOT:-}") || return 1
    swift build --build-tests || return 1
    line=$(LD_LIBRARY_PATH="$dir" .build/debug/stress-test-db --version | grep '^libcurl ' || true)
    case "$line" in
        "libcurl 8."*) echo "libcurl 8 lane: $line, from $dir" >&2 ;;
        *) echo "LD_LIBRARY_PATH=$dir loads '${line:-no libcurl line}', not libcurl 8." >&2; return 1 ;;
    esac
    LD_LIBRARY_PATH="$dir" STDB_EXPECT_LIBCURL_MAJOR=8 \
        swift test --skip-build --disable-swift-testing --filter "$LIBCURL8_TESTS" "$@"
}
