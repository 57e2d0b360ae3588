import Foundation
import LoadCore

/// The `raw_results` of the `--output` document, rendered as records arrive and kept in an unlinked
/// temporary file beside the output, so a long run's `--output` costs disk, not memory. Nothing is
/// left behind if the process dies: the file has no name once created.
final class RawResultsSpool {
    private let fd: Int32
    private(set) var count = 0

    init(beside path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/.stress-test-db-raw-results.XXXXXX").utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileError(String(cString: strerror(errno))) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close(fd) }

    /// Why the records could not be kept (the disk filled), if so; the rest are dropped.
    private(set) var failure: String?
    private var pending: [UInt8] = []

    /// A record, rendered now (no record is kept), written with the others at the next `flush`.
    func add(_ record: ResponseRecord) {
        guard failure == nil else { return }
        JSONReport.appendElement(record, first: count == 0, to: &pending)
        count += 1
    }

    func flush() {
        guard failure == nil, !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        do { try FileOutput.writeAll(fd, pending) } catch { failure = "\(error)" }
    }

    /// The whole document into `path` (whole at every moment: see `FileOutput.replace`): head, the spooled records, tail.
    func writeDocument(_ summary: RunSummary, to path: String, writtenAtMicroseconds: Int64 = wallClockMicroseconds()) throws {
        try FileOutput.replace(path) { out in try copy(summary, into: out, writtenAtMicroseconds: writtenAtMicroseconds) }
    }

    private func copy(_ summary: RunSummary, into out: Int32, writtenAtMicroseconds: Int64) throws {
        try FileOutput.writeAll(out, Array(JSONReport.head(summary, writtenAtMicroseconds: writtenAtMicroseconds).utf8))
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw FileError(String(cString: strerror(errno))) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let read = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw FileError(String(cString: strerror(errno))) }
            if read == 0 { break }
            try FileOutput.writeAll(out, Array(buffer[0..<read]))
        }
        try FileOutput.writeAll(out, Array(JSONReport.tail(count: count).utf8))
    }
}
