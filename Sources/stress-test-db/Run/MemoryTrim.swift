import Foundation

/// glibc's `malloc_trim(0)`: returns the free pages of every arena to the system. Swift's Glibc
/// module does not import <malloc.h>, so it is looked up once by name.
enum MemoryTrim {
    private typealias Trim = @convention(c) (Int) -> Int32
    private static let trim: Trim? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }

    static func run() { _ = trim?(0) }
}
