import CCurl
import Glibc
import LoadCore

extension FailureKind {
    /// The one place a libcurl outcome becomes a kind: from the result code,
    /// the OS errno libcurl saw last, whether a connection was made, and whether `SendOnce`
    /// stopped libcurl from re-sending the request (the kept-alive connection died under it).
    public static func from(curlCode: Int, osErrno: Int32, connected: Bool, resendStopped: Bool = false) -> FailureKind? {
        if resendStopped && curlCode == Int(CURLE_ABORTED_BY_CALLBACK.rawValue) { return .serverDisconnected }
        switch curlCode {
        case Int(CURLE_OK.rawValue):
            return nil
        case Int(CURLE_OPERATION_TIMEDOUT.rawValue):
            return .timeout
        case Int(CURLE_COULDNT_RESOLVE_HOST.rawValue), Int(CURLE_COULDNT_RESOLVE_PROXY.rawValue):
            return .dnsFailure
        case Int(CURLE_COULDNT_CONNECT.rawValue):
            switch osErrno {
            case ECONNREFUSED: return .connectionRefused
            case ETIMEDOUT: return .timeout
            case ECONNRESET: return .connectionReset
            default: return .connectError
            }
        case Int(CURLE_SSL_CONNECT_ERROR.rawValue), Int(CURLE_PEER_FAILED_VERIFICATION.rawValue),
             Int(CURLE_SSL_CERTPROBLEM.rawValue), Int(CURLE_SSL_CIPHER.rawValue),
             Int(CURLE_SSL_CACERT_BADFILE.rawValue), Int(CURLE_SSL_ENGINE_NOTFOUND.rawValue),
             Int(CURLE_SSL_ENGINE_SETFAILED.rawValue), Int(CURLE_SSL_ISSUER_ERROR.rawValue),
             Int(CURLE_SSL_PINNEDPUBKEYNOTMATCH.rawValue), Int(CURLE_SSL_INVALIDCERTSTATUS.rawValue),
             Int(CURLE_SSL_CRL_BADFILE.rawValue), Int(CURLE_USE_SSL_FAILED.rawValue),
             Int(CURLE_SSL_SHUTDOWN_FAILED.rawValue), Int(CURLE_SSL_CLIENTCERT.rawValue):
            return .tlsError
        case Int(CURLE_GOT_NOTHING.rawValue), Int(CURLE_PARTIAL_FILE.rawValue):
            return .serverDisconnected
        case Int(CURLE_RECV_ERROR.rawValue), Int(CURLE_SEND_ERROR.rawValue):
            if osErrno == ECONNRESET || osErrno == EPIPE { return .connectionReset }
            return connected ? .serverDisconnected : .connectError
        case Int(CURLE_WEIRD_SERVER_REPLY.rawValue), Int(CURLE_HTTP2.rawValue),
             Int(CURLE_BAD_CONTENT_ENCODING.rawValue), Int(CURLE_UNSUPPORTED_PROTOCOL.rawValue):
            return .invalidResponse
        case Int(CURLE_ABORTED_BY_CALLBACK.rawValue):
            return .aborted
        default:
            return .transportError
        }
    }
}
