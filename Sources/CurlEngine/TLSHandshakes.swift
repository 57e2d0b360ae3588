import CCurl
import LoadCore
import Synchronization

/// `--verbose`'s TLS line: how many handshakes were full and how many resumed a session (SPEC 23).
/// OpenSSL reports each finished handshake to a callback set on every SSL_CTX libcurl makes; the counts
/// are process-wide atomics, read as a difference over a run.
public enum TLSHandshakes {
    static let full = Atomic<Int>(0)
    static let resumed = Atomic<Int>(0)

    public struct Counts: Sendable, Equatable {
        public var full: Int
        public var resumed: Int
    }

    public static var now: Counts {
        Counts(full: full.load(ordering: .relaxed), resumed: resumed.load(ordering: .relaxed))
    }

    static let infoCallback: stdb_ssl_info_callback = { ssl, where_, _ in
        guard let ssl, where_ & STDB_SSL_CB_HANDSHAKE_DONE != 0 else { return }
        if SSL_session_reused(ssl) == 1 {
            resumed.add(1, ordering: .relaxed)
        } else {
            full.add(1, ordering: .relaxed)
        }
    }

    static let contextCallback: curl_ssl_ctx_callback = { _, context, _ in
        if let context { SSL_CTX_set_info_callback(context, TLSHandshakes.infoCallback) }
        return CURLE_OK
    }
}

extension EasyHandle {
    /// Counts this handle's TLS handshakes (`TLSHandshakes`).
    func countTLSHandshakes() throws {
        try require(stdb_easy_setopt_ssl_ctx_function(raw, TLSHandshakes.contextCallback), "CURLOPT_SSL_CTX_FUNCTION")
    }
}

/// One loop's TLS session cache, shared by its handles: a VU that reconnects (or a new one) resumes a
/// session another made. Used on the loop's thread only, so it needs no lock callbacks.
final class TLSSessionShare {
    let raw: UnsafeMutableRawPointer

    init() throws {
        guard let share = curl_share_init() else { throw EngineError("libcurl could not create a share handle") }
        raw = share
        let code = stdb_share_setopt_long(share, CURLSHOPT_SHARE, Int(CURL_LOCK_DATA_SSL_SESSION.rawValue))
        guard code == CURLSHE_OK else {
            curl_share_cleanup(share)
            throw EngineError("libcurl refused to share TLS sessions: \(String(cString: curl_share_strerror(code)))")
        }
    }

    /// After every handle using it is cleaned up.
    deinit { curl_share_cleanup(raw) }
}
