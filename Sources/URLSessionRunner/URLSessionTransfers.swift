import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import LoadCore
import Synchronization

/// The URLSession runner's delegate: each task's bytes as they arrive (read as Server-Sent Events when
/// streaming, stamped when the delegate queue delivers them) and its end, handed to whoever awaits it.
/// `@unchecked Sendable`: its only state is behind a `Mutex`; URLSession calls it from its delegate queue.
/// Owned by the runner and retained by its URLSession (a delegate is held until the session is invalidated).
final class URLSessionTransfers: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Finished: Sendable {
        var response: HTTPURLResponse?
        var body: [UInt8]
        var received: Int
        var stream: SSEScanner?
        var error: (any Error)?
    }

    private struct Transfer {
        var continuation: CheckedContinuation<Finished, Never>
        var finished: Finished
    }

    private let transfers = Mutex<[Int: Transfer]>([:])
    private let captureLimit: Int
    private let streaming: Bool
    /// `--turns` with `--stream`: the scanner keeps the content deltas for the next turn's history.
    private let keepsContent: Bool

    init(captureLimit: Int, streaming: Bool, keepsContent: Bool) {
        self.captureLimit = captureLimit
        self.streaming = streaming
        self.keepsContent = keepsContent
    }

    /// Runs `task` and returns when it has ended, one way or another.
    func perform(_ task: URLSessionDataTask) async -> Finished {
        await withCheckedContinuation { continuation in
            let finished = Finished(body: [], received: 0, stream: streaming ? SSEScanner(keepingContent: keepsContent) : nil)
            transfers.withLock { $0[task.taskIdentifier] = Transfer(continuation: continuation, finished: finished) }
            task.resume()
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        transfers.withLock { $0[dataTask.taskIdentifier]?.finished.response = response as? HTTPURLResponse }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let now = monotonicNanoseconds()
        transfers.withLock { transfers in
            guard var transfer = transfers[dataTask.taskIdentifier] else { return }
            transfer.finished.received += data.count
            let room = captureLimit - transfer.finished.body.count
            if room > 0 { transfer.finished.body.append(contentsOf: data.prefix(room)) }
            data.withUnsafeBytes { transfer.finished.stream?.feed($0, at: now) }
            transfers[dataTask.taskIdentifier] = transfer
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard var transfer = transfers.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        transfer.finished.error = error
        transfer.continuation.resume(returning: transfer.finished)
    }
}
