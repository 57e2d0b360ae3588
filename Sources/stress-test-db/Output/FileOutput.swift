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

    /// Appends in one write (whole lines stay whole for a reader), or replaces the file whole.
    static func write(_ path: String, contents: String, append: Bool) throws {
        guard append else { return try replace(path) { try writeAll($0, Array(contents.utf8)) } }
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_APPEND, 0o644)
        if fd < 0 { throw FileError(String(cString: strerror(errno))) }
        defer { close(fd) }
        try writeAll(fd, Array(contents.utf8))
    }

    /// A document written whole or not at all: `body` writes a temporary file in the same folder,
    /// renamed over `path` once complete, so a reader at any moment sees the old file or the new one,
    /// never part of one. A path that is not a regular file (`/dev/stdout`, a pipe) is written directly;
    /// a symbolic link's target is replaced.
    static func replace(_ path: String, _ body: (Int32) throws -> Void) throws {
        var info = stat()
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFREG {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw FileError("it is a folder") }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            if fd < 0 { throw FileError(String(cString: strerror(errno))) }
            defer { close(fd) }
            return try body(fd)
        }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)).map { link in
            link.hasPrefix("/") ? link : ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
        } ?? path
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.\(name).XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw FileError(String(cString: strerror(errno))) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        do {
            defer { close(fd) }
            _ = fchmod(fd, stat(target, &info) == 0 ? info.st_mode & 0o7777 : 0o644 & ~currentUmask())
            try body(fd)
            guard rename(temporary, target) == 0 else { throw FileError(String(cString: strerror(errno))) }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    private static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }

    /// The file's text, or nil when it does not exist (the shape `Configuration.resolve` reads files in);
    /// a folder, an empty or binary file, an endless line is an error naming it (`InputFile`).
    static func readText(_ path: String) throws -> String? {
        try InputFile.read(path, label: path)
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
