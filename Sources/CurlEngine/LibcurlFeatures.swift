import CCurl

/// What a run can do with the libcurl loaded at run time (`curl_version_info`, which may be another
/// libcurl than the one built against: LD_LIBRARY_PATH), decided here and only here. A plain value, so
/// each decision is tested without sockets; `--version` and `--verbose` print `lines` (docs/libcurl.md).
public struct LibcurlFeatures: Sendable, Equatable {
    /// 0xXXYYZZ: major, minor, patch.
    public var versionNumber: Int
    public var version: String
    /// Built with HTTP/2 (nghttp2).
    public var http2: Bool
    /// The TLS backend, "OpenSSL/3.0.15"; nil without TLS.
    public var tls: String?
    public var nghttp2: String?

    public init(versionNumber: Int, version: String, http2: Bool, tls: String?, nghttp2: String? = nil) {
        (self.versionNumber, self.version, self.http2, self.tls, self.nghttp2) = (versionNumber, version, http2, tls, nghttp2)
    }

    /// The libcurl this process loaded.
    public static let current: LibcurlFeatures = {
        guard let info = curl_version_info(CURLVERSION_FIFTH)?.pointee else {
            return LibcurlFeatures(versionNumber: 0, version: "?", http2: false, tls: nil)
        }
        let http2Bit: Int32 = 1 << 16  // CURL_VERSION_HTTP2
        // nghttp2_version is in the struct from its fifth age on.
        let nghttp2 = info.age.rawValue >= CURLVERSION_FIFTH.rawValue ? info.nghttp2_version.map { String(cString: $0) } : nil
        return LibcurlFeatures(versionNumber: Int(info.version_num), version: info.version.map { String(cString: $0) } ?? "?",
                               http2: info.features & http2Bit != 0, tls: info.ssl_version.map { String(cString: $0) },
                               nghttp2: nghttp2.map { "nghttp2/" + $0 })
    }()

    /// A feature's verdict on this libcurl: it runs, or it is refused (or left out) and why.
    public enum Verdict: Sendable, Equatable {
        case runs
        case refused(String)
    }

    /// `--http2` over plain http (prior knowledge, h2c). libcurl 7.88 switches in a second HTTP/2 layer on
    /// a reused connection and every later request fails ("Error in the HTTP2 framing layer"; curl#10634,
    /// fixed in 8.0.0), so the run is refused before any load rather than being a run of failures.
    public var priorKnowledge: Verdict {
        guard http2 else { return .refused("this libcurl has no HTTP/2") }
        return versionNumber >= 0x08_00_00 ? .runs : .refused("curl#10634: reused connections fail before libcurl 8.0.0")
    }

    /// `--http2` over https: HTTP/2 chosen by ALPN. Connection reuse works on 7.88 too.
    public var http2OverTLS: Verdict {
        guard http2 else { return .refused("this libcurl has no HTTP/2") }
        return tls == nil ? .refused("this libcurl has no TLS") : .runs
    }

    /// `--verbose`'s TLS line counts handshakes through an OpenSSL callback (`TLSHandshakes`); with
    /// another TLS backend libcurl would hand the callback something else, so it is not set.
    public var handshakeCounts: Verdict {
        tls?.hasPrefix("OpenSSL/") == true ? .runs : .refused("needs libcurl's OpenSSL backend, this one has \(tls ?? "no TLS")")
    }

    /// One line per decision, for `--version` and `--verbose`.
    public var lines: [String] {
        func say(_ verdict: Verdict, _ runs: String) -> String {
            switch verdict {
            case .runs: return runs
            case .refused(let why): return "refused (\(why))"
            }
        }
        let parts = [tls, nghttp2].compactMap { $0 }
        return [
            "libcurl \(version)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"),
            "  --http2 over https (ALPN): " + say(http2OverTLS, "runs"),
            "  --http2 over http (h2c, prior knowledge): " + say(priorKnowledge, "runs"),
            "  TLS handshake counts (--verbose): " + say(handshakeCounts, "counted"),
            "  HTTP/2 answer before the request body: " + (failsEarlyHTTP2Answers
                ? "the request fails, said in error_detail (fixed in libcurl 8.3.0, curl PR 11756)" : "kept"),
        ]
    }
}

/// The decisions as the run uses them (`LibcurlFeatures.current`).
public enum CurlAbilities {
    public static var priorKnowledgeReuse: Bool { LibcurlFeatures.current.priorKnowledge == .runs }
    public static var version: String { LibcurlFeatures.current.version }
}
