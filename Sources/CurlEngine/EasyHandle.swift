import CCurl

/// One libcurl easy handle with labelled setters and getters. Owned by one
/// thread at a time (the loop's, or a probe's); deliberately not Sendable.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    /// libcurl writes its message for a failed transfer here.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init() throws {
        CurlGlobal.initialise()
        guard let handle = curl_easy_init() else { throw EngineError("libcurl could not create a handle") }
        raw = handle
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_TCP_NODELAY, 1)
        set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        // No proxy from the environment: every request goes where the user pointed it.
        set(CURLOPT_NOPROXY, "*")
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    func set(_ option: CURLoption, _ value: Int) { _ = stdb_easy_setopt_long(raw, option, value) }
    func set(_ option: CURLoption, _ value: String) { _ = stdb_easy_setopt_string(raw, option, value) }
    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) { _ = stdb_easy_setopt_pointer(raw, option, pointer) }
    func set(_ option: CURLoption, list: UnsafeMutablePointer<curl_slist>?) { _ = stdb_easy_setopt_slist(raw, option, list) }
    func set(_ option: CURLoption, offset: Int) { _ = stdb_easy_setopt_off(raw, option, curl_off_t(offset)) }
    func setWriteFunction(_ function: curl_write_callback, data: UnsafeMutableRawPointer?) {
        _ = stdb_easy_setopt_write_function(raw, CURLOPT_WRITEFUNCTION, function)
        set(CURLOPT_WRITEDATA, pointer: data)
    }

    func setTimeout(seconds: Double) {
        set(CURLOPT_TIMEOUT_MS, max(1, Int((seconds * 1000).rounded())))
    }

    func apply(_ tls: TLSOptions) {
        if let path = tls.caCertificatePath { set(CURLOPT_CAINFO, path) }
        if tls.insecure {
            set(CURLOPT_SSL_VERIFYPEER, 0)
            set(CURLOPT_SSL_VERIFYHOST, 0)
        }
    }

    /// Method and body; the body is borrowed and must outlive the handle's use.
    func setRequest(method: String, body: UnsafeRawBufferPointer?) {
        switch method {
        case "GET": set(CURLOPT_HTTPGET, 1)
        case "HEAD": set(CURLOPT_NOBODY, 1)
        case "POST":
            set(CURLOPT_POST, 1)
        default:
            set(CURLOPT_CUSTOMREQUEST, method)
        }
        if let body {
            set(CURLOPT_POSTFIELDSIZE_LARGE, offset: body.count)
            set(CURLOPT_POSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: body.baseAddress))
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
        let message = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        errorBuffer[0] = 0
        return message
    }
}

enum CurlGlobal {
    private static let once: Void = {
        _ = curl_global_init(Int(CURL_GLOBAL_ALL))
    }()
    static func initialise() { _ = once }
}

/// A curl_slist of header lines, freed with its owner.
final class HeaderList {
    private(set) var raw: UnsafeMutablePointer<curl_slist>?
    init(_ lines: [String]) {
        for line in lines { raw = curl_slist_append(raw, line) }
    }
    deinit { curl_slist_free_all(raw) }
}
