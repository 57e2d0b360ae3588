# Installs the Debian packages the build and tests need, only when missing.
# Sourced by scripts/test, scripts/demo and the benchmarks.
apt_updated=0
ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing ${missing[*]} ..."
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    if [ $apt_updated -eq 0 ]; then
        $sudo apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_build_dependencies() {
    command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6 toolchain first." >&2; exit 1; }
    # sqlite3 (the CLI) and libcap2-bin (capsh) are used by tests; util-linux gives `script`;
    # chromium renders the HTML report and the live dashboard in their tests, headless; zlib1g-dev
    # compresses HdrHistogram logs; prometheus scrapes --metrics in a test (a real server); iproute2,
    # nftables and curl make and fault the network namespaces of SPEC 22's tests.
    ensure_packages libcurl4-openssl-dev zlib1g-dev libsqlite3-dev pkg-config openssl python3 sqlite3 libcap2-bin util-linux chromium \
        prometheus iproute2 nftables curl
}

# Reference readers of our formats, from PyPI: HdrHistogram's Python implementation reads --hdr logs,
# prometheus_client's text parser reads /metrics, kubernetes-validate checks deploy/kubernetes.
ensure_python_hdrhistogram() {
    python3 -c "import hdrh, prometheus_client, kubernetes_validate" 2>/dev/null && return 0
    echo "Installing the Python packages hdrhistogram, prometheus-client and kubernetes-validate ..."
    python3 -m pip install --quiet hdrhistogram prometheus-client kubernetes-validate \
        || pip install --quiet hdrhistogram prometheus-client kubernetes-validate
}
