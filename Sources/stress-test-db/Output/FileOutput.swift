import Foundation

/// Plain POSIX file writes: every byte written or an error that says why.
enum FileOutput {
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw FileError(String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    /// Opens for appending, creating the file if needed.
    static func openForAppend(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileError(String(cString: strerror(errno))) }
        return fd
    }

    /// Can `path` be written (an existing writable file, or a new file in a writable folder)?
    static func checkWritable(_ path: String) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError("it is a folder") }
            if access(path, W_OK) != 0 { throw FileError(String(cString: strerror(errno))) }
            return
        }
        let folder = (path as NSString).deletingLastPathComponent
        let directory = folder.isEmpty ? "." : folder
        if stat(directory, &info) != 0 { throw FileError("its folder \(directory) does not exist") }
        if (info.st_mode & S_IFMT) != S_IFDIR { throw FileError("\(directory) is not a folder") }
        if access(directory, W_OK) != 0 { throw FileError("its folder \(directory) is not writable") }
    }

    static func write(_ path: String, contents: String, append: Bool) throws {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = open(path, flags, 0o644)
        if fd < 0 { throw FileError(String(cString: strerror(errno))) }
        defer { close(fd) }
        try writeAll(fd, Array(contents.utf8))
    }

    /// The file's text, or nil when it does not exist (the shape `Configuration.resolve` reads files in).
    static func readText(_ path: String) throws -> String? {
        try read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The file's bytes, or nil when it does not exist.
    static func read(_ path: String) throws -> [UInt8]? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileError("it cannot be read")
        }
        return [UInt8](data)
    }
}
