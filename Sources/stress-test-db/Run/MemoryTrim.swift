import Foundation

/// How a long run keeps glibc's heap from creeping up with nothing more in use: a periodic
/// `malloc_trim(0)` hands back the free pages glibc keeps. Swift's Glibc module does not import
/// <malloc.h>, so it is looked up once by name.
///
/// glibc's mmap threshold is left alone: a fixed 16 KiB threshold (tried against soak growth) sent
/// libcurl's per-transfer buffers to their own mappings, one mmap + munmap a request, and cost 40% of
/// the throughput (`scripts/bench --guard` now catches that kind of regression).
enum MemoryTrim {
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: Trim.self) }

    /// Every few seconds during a run.
    static func run() { _ = trim?(0) }
}
