import Foundation

/// How a long run keeps glibc's heap from creeping up with nothing more in use. Measured over soaks:
/// the loop thread's batches and the consumer's per-interval arrays are large, short-lived blocks that
/// glibc's dynamic mmap threshold moves onto the heap, where they fragment it (in-use bytes flat, RSS
/// rising). A fixed threshold keeps blocks of 16 KiB and more in their own mappings, returned when
/// freed, and a periodic `malloc_trim(0)` hands back the free pages that remain. Swift's Glibc module
/// does not import <malloc.h>, so both are looked up once by name.
enum MemoryTrim {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32
    private static let trim: Trim? = symbol("malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
    private static let option: Option? = symbol("mallopt").map { unsafeBitCast($0, to: Option.self) }
    /// <malloc.h>'s M_MMAP_THRESHOLD.
    private static let mmapThreshold: Int32 = -3

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer? { dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) }

    /// At the start of a run, before the load allocates.
    static func configure() { _ = option?(mmapThreshold, 16 << 10) }

    /// Every few seconds during a run.
    static func run() { _ = trim?(0) }
}
