# Starts lamb-sim on a free loopback port and reads its URL from the one line it prints when ready.
# Sourced by scripts/demo and scripts/distributed-demo; scripts/lib/lambsim.py does the same for Python.
#   start_lamb_sim BIN LOG [lamb-sim arguments...]   sets LAMB_SIM_URL and LAMB_SIM_PID
#   stop_lamb_sim                                     stops it (safe to call twice)
start_lamb_sim() {
    local bin=$1 log=$2
    shift 2
    "$bin" --host 127.0.0.1 --port 0 "$@" >"$log" 2>&1 &
    LAMB_SIM_PID=$!
    LAMB_SIM_URL=""
    for _ in $(seq 1 300); do
        LAMB_SIM_URL=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
        [ -n "$LAMB_SIM_URL" ] && return 0
        kill -0 "$LAMB_SIM_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "lamb-sim did not start:" >&2
    cat "$log" >&2
    return 1
}

stop_lamb_sim() {
    [ -n "${LAMB_SIM_PID:-}" ] || return 0
    kill "$LAMB_SIM_PID" 2>/dev/null || true
    wait "$LAMB_SIM_PID" 2>/dev/null || true
    LAMB_SIM_PID=""
}
