import Glibc

public enum FileDescriptorLimit {
    /// Raises the soft RLIMIT_NOFILE towards `wanted` (up to the hard limit,
    /// and past it when the process may). Returns the soft limit now in force.
    @discardableResult
    public static func raise(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        let target = rlim_t(max(wanted, 0))
        if limit.rlim_cur >= target { return Int(clamping: limit.rlim_cur) }
        var raised = limit
        raised.rlim_cur = target
        if raised.rlim_max < target { raised.rlim_max = target }
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0 {
            raised.rlim_cur = limit.rlim_max
            raised.rlim_max = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised)
        }
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(clamping: limit.rlim_cur)
    }
}
