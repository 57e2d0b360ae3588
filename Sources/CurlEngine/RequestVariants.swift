import CCurl
import LoadCore

/// The URLs and bodies requests take in turn (several assistants, a file of prompts): request k,
/// counted over every VU in start order, goes to `urls[k % urls.count]` with `bodies[k % bodies.count]`.
/// Each URL is parsed once (`curl_url`) and each body copied once; a request only points its handle
/// at them. Owned by the loop thread.
final class RequestVariants {
    private let urls: [OpaquePointer]
    private let bodies: [UnsafeMutableRawBufferPointer]
    private let sizes: [Int]

    init(urls: [String], bodies: [[UInt8]]) throws {
        var parsed: [OpaquePointer] = []
        for url in urls {
            guard let handle = curl_url() else {
                parsed.forEach { curl_url_cleanup($0) }
                throw EngineError("libcurl could not allocate a URL handle")
            }
            let code = curl_url_set(handle, CURLUPART_URL, url, 0)
            guard code == CURLUE_OK else {
                curl_url_cleanup(handle)
                parsed.forEach { curl_url_cleanup($0) }
                throw EngineError("libcurl cannot parse the URL \(url): \(String(cString: curl_url_strerror(code)))")
            }
            parsed.append(handle)
        }
        self.urls = parsed
        self.bodies = bodies.map { body in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(body.count, 1), alignment: 1)
            buffer.copyBytes(from: body)
            return buffer
        }
        sizes = bodies.map(\.count)
    }

    deinit {
        urls.forEach { curl_url_cleanup($0) }
        bodies.forEach { $0.deallocate() }
    }

    /// More than one URL or body: each request must choose.
    var vary: Bool { urls.count > 1 || bodies.count > 1 }

    /// `--turns`: a conversation keeps one URL (a chat belongs to one assistant), the `k`th.
    func applyURL(_ k: Int, to handle: EasyHandle) throws {
        if urls.count > 1 { try handle.setParsedURL(urls[k % urls.count]) }
    }

    /// Points `handle` at request `k`'s URL and body.
    func apply(_ k: Int, to handle: EasyHandle, method: String) throws {
        try handle.setParsedURL(urls[k % urls.count])
        let index = k % bodies.count
        try handle.setRequest(method: method, body: UnsafeRawBufferPointer(start: bodies[index].baseAddress, count: sizes[index]))
    }
}
