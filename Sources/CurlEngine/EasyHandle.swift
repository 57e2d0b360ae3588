import CCurl
import LoadCore

/// One libcurl easy handle with labelled setters and getters. Owned by one
/// thread at a time (the loop's, or a probe's); deliberately not Sendable.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    /// libcurl writes its message for a failed transfer here.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init() throws {
        try CurlGlobal.initialise()
        guard let handle = curl_easy_init() else { throw EngineError("libcurl could not create a handle") }
        raw = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_TCP_NODELAY, 1)
        try require(stdb_easy_setopt_long(raw, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)), "CURLOPT_HTTP_VERSION")
        // No proxy from the environment: every request goes where the user pointed it.
        try require(stdb_easy_setopt_string(raw, CURLOPT_NOPROXY, "*"), "CURLOPT_NOPROXY")
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Setters for options libcurl cannot refuse once the handle exists (flags, pointers it only stores).
    func set(_ option: CURLoption, _ value: Int) { _ = stdb_easy_setopt_long(raw, option, value) }
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) { _ = stdb_easy_setopt_pointer(raw, option, pointer) }
    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) { _ = stdb_easy_setopt_slist(raw, option, list) }

    /// For an option libcurl may refuse (an unsupported feature, out of memory, a bad value): a clear error.
    func require(_ code: CURLcode, _ name: String) throws {
        guard code == CURLE_OK else {
            throw EngineError("libcurl refused \(name): \(String(cString: curl_easy_strerror(code)))")
        }
    }

    func setURL(_ url: String) throws { try require(stdb_easy_setopt_string(raw, CURLOPT_URL, url), "the URL \(url)") }

    /// A URL parsed once by `curl_url`, shared by many handles (libcurl copies it per transfer).
    func setParsedURL(_ parsed: OpaquePointer) throws {
        try require(stdb_easy_setopt_pointer(raw, CURLOPT_CURLU, UnsafeMutableRawPointer(parsed)), "CURLOPT_CURLU")
    }

    func setWriteFunction(_ function: curl_write_callback, data: UnsafeMutableRawPointer?) {
        _ = stdb_easy_setopt_write_function(raw, CURLOPT_WRITEFUNCTION, function)
        set(CURLOPT_WRITEDATA, pointer: data)
    }

    /// Connections leave from this local address (`host!ADDR`: an address, never an interface name).
    func setSourceAddress(_ address: String) throws {
        try require(stdb_easy_setopt_string(raw, CURLOPT_INTERFACE, "host!" + address), "--source-address \(address)")
    }

    /// `--http2`: ALPN over https, prior knowledge over http; a new transfer waits for the shard's
    /// connection to multiplex on rather than opening another.
    func useHTTP2(priorKnowledge: Bool) throws {
        let version = priorKnowledge ? CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE : CURL_HTTP_VERSION_2TLS
        try require(stdb_easy_setopt_long(raw, CURLOPT_HTTP_VERSION, Int(version)), "CURLOPT_HTTP_VERSION (HTTP/2)")
        try require(stdb_easy_setopt_long(raw, CURLOPT_PIPEWAIT, 1), "CURLOPT_PIPEWAIT")
    }

    func setTimeout(seconds: Double) throws {
        try require(stdb_easy_setopt_long(raw, CURLOPT_TIMEOUT_MS, max(1, Int((seconds * 1000).rounded()))), "--timeout")
    }

    func apply(_ tls: TLSOptions) throws {
        if let path = tls.caCertificatePath {
            try require(stdb_easy_setopt_string(raw, CURLOPT_CAINFO, path), "--cacert \(path)")
        }
        if tls.insecure {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        }
    }

    /// The request method (`setRequest` sets it with the body).
    func setMethod(_ method: String) throws {
        switch method {
        case "GET": set(CURLOPT_HTTPGET, 1)
        case "HEAD": set(CURLOPT_NOBODY, 1)
        case "POST": set(CURLOPT_POST, 1)
        default: try require(stdb_easy_setopt_string(raw, CURLOPT_CUSTOMREQUEST, method), "the method \(method)")
        }
    }

    func long(_ info: CURLINFO) -> Int {
        var value = 0
        _ = stdb_easy_getinfo_long(raw, info, &value)
        return value
    }

    func offset(_ info: CURLINFO) -> Int {
        var value: curl_off_t = 0
        _ = stdb_easy_getinfo_off(raw, info, &value)
        return Int(value)
    }

    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard stdb_easy_getinfo_string(raw, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// The message for the last failed transfer, then clears it for the next one.
    func takeErrorMessage(code: CURLcode) -> String {
        takeLibcurlMessage() ?? String(cString: curl_easy_strerror(code))
    }

    /// libcurl's own message for the last failure (CURLOPT_ERRORBUFFER), nil when it wrote none; emptied.
    func takeLibcurlMessage() -> String? {
        let message = errorBuffer[0] != 0 ? String(cString: errorBuffer) : nil
        errorBuffer[0] = 0
        return message
    }
}

enum CurlGlobal {
    private static let result: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
    static func initialise() throws {
        guard result == CURLE_OK else { throw EngineError("libcurl could not initialise: \(String(cString: curl_easy_strerror(result)))") }
    }
}

/// A curl_slist of header lines, freed with its owner.
final class HeaderList {
    private(set) var raw: UnsafeMutablePointer<curl_slist>?
    init(_ lines: [String]) throws {
        for line in lines {
            guard let appended = curl_slist_append(raw, line) else { throw EngineError("libcurl could not store a header") }
            raw = appended
        }
    }
    deinit { curl_slist_free_all(raw) }
}
