import CCurl
import CurlEngine
import Glibc
import LoadCore
import XCTest

final class FailureKindTests: XCTestCase {
    func testMappingTable() {
        let rows: [(CURLcode, Int32, Bool, FailureKind?)] = [
            (CURLE_OK, 0, true, nil),
            (CURLE_OPERATION_TIMEDOUT, 0, true, .timeout),
            (CURLE_OPERATION_TIMEDOUT, 0, false, .timeout),
            (CURLE_COULDNT_RESOLVE_HOST, 0, false, .dnsFailure),
            (CURLE_COULDNT_CONNECT, ECONNREFUSED, false, .connectionRefused),
            (CURLE_COULDNT_CONNECT, ETIMEDOUT, false, .timeout),
            (CURLE_COULDNT_CONNECT, EHOSTUNREACH, false, .connectError),
            (CURLE_SSL_CONNECT_ERROR, 0, true, .tlsError),
            (CURLE_PEER_FAILED_VERIFICATION, 0, true, .tlsError),
            (CURLE_GOT_NOTHING, 0, true, .serverDisconnected),
            (CURLE_PARTIAL_FILE, 0, true, .serverDisconnected),
            (CURLE_RECV_ERROR, ECONNRESET, true, .connectionReset),
            (CURLE_SEND_ERROR, EPIPE, true, .connectionReset),
            (CURLE_RECV_ERROR, 0, true, .serverDisconnected),
            (CURLE_WEIRD_SERVER_REPLY, 0, true, .invalidResponse),
            (CURLE_ABORTED_BY_CALLBACK, 0, true, .aborted),
            (CURLE_OUT_OF_MEMORY, 0, true, .transportError),
        ]
        for (code, osErrno, connected, expected) in rows {
            XCTAssertEqual(FailureKind.from(curlCode: Int(code.rawValue), osErrno: osErrno, connected: connected), expected,
                           "code \(code.rawValue) errno \(osErrno)")
        }
    }

    func testKindsAreStableNames() {
        XCTAssertEqual(FailureKind.allCases.map(\.rawValue), [
            "Timeout", "ConnectionRefused", "ConnectionReset", "ServerDisconnected", "DNSFailure", "TLSError",
            "InvalidResponse", "ConnectError", "Aborted", "TransportError",
        ])
    }
}
