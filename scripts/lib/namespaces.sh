# Network namespaces as hosts for scripts/distributed-demo --namespaces: one for lamb-sim (198.18.0.1)
# and one per shard (198.18.0.(I+10)), each with a veth into a bridge in the root namespace (which has no
# address on it: nothing is routed off the machine). 198.18.0.0/15 is reserved for benchmark networks.
#   make_hosts N     sets NS_TARGET and NS_SHARDS
#   remove_hosts     deletes them (safe to call twice)
NS_PREFIX="sd$$"
make_hosts() {
    local shards=$1 bridge="${NS_PREFIX}br"
    [ "$(id -u)" -eq 0 ] || { echo "--namespaces needs root (network namespaces)" >&2; exit 1; }
    ensure_packages iproute2
    ip link add "$bridge" type bridge
    ip link set "$bridge" up
    NS_TARGET="${NS_PREFIX}t"
    NS_SHARDS=()
    add_host "$NS_TARGET" 198.18.0.1 "${NS_PREFIX}t"
    for ((i = 0; i < shards; i++)); do
        NS_SHARDS+=("${NS_PREFIX}s$i")
        add_host "${NS_PREFIX}s$i" "198.18.0.$((i + 10))" "${NS_PREFIX}s$i"
    done
}

add_host() {
    local namespace=$1 address=$2 link=$3
    ip netns add "$namespace"
    ip link add "${link}a" type veth peer name "${link}b"
    ip link set "${link}a" master "${NS_PREFIX}br" up
    ip link set "${link}b" netns "$namespace"
    ip -n "$namespace" addr add "$address/24" dev "${link}b"
    ip -n "$namespace" link set "${link}b" up
    ip -n "$namespace" link set lo up
}

remove_hosts() {
    for namespace in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^$NS_PREFIX" || true); do ip netns del "$namespace"; done
    ip link del "${NS_PREFIX}br" 2>/dev/null || true
}
