import CurlEngine
import Foundation
import XCTest

/// The decisions taken from the loaded libcurl's version and features, without sockets.
final class LibcurlFeaturesTests: XCTestCase {
    let debian12 = LibcurlFeatures(versionNumber: 0x07_58_01, version: "7.88.1", http2: true, tls: "OpenSSL/3.0.15",
                                   nghttp2: "nghttp2/1.52.0")
    let backports = LibcurlFeatures(versionNumber: 0x08_0E_01, version: "8.14.1", http2: true, tls: "OpenSSL/3.0.15",
                                    nghttp2: "nghttp2/1.52.0")

    func testPriorKnowledgeIsRefusedBefore8BecauseOfCurl10634() {
        guard case .refused(let why) = debian12.priorKnowledge else { return XCTFail("7.88 must refuse h2c") }
        XCTAssertTrue(why.contains("10634"), why)
        XCTAssertEqual(backports.priorKnowledge, .runs)
        XCTAssertEqual(LibcurlFeatures(versionNumber: 0x08_00_00, version: "8.0.0", http2: true, tls: nil).priorKnowledge, .runs)
        XCTAssertEqual(LibcurlFeatures(versionNumber: 0x07_FF_FF, version: "7.255.255", http2: true, tls: nil).priorKnowledge,
                       debian12.priorKnowledge)
    }

    func testHTTP2OverTLSNeedsHTTP2AndTLS() {
        XCTAssertEqual(debian12.http2OverTLS, .runs)
        XCTAssertEqual(backports.http2OverTLS, .runs)
        var plain = backports
        plain.tls = nil
        XCTAssertEqual(plain.http2OverTLS, .refused("this libcurl has no TLS"))
        var noHTTP2 = backports
        noHTTP2.http2 = false
        XCTAssertEqual(noHTTP2.http2OverTLS, .refused("this libcurl has no HTTP/2"))
        XCTAssertEqual(noHTTP2.priorKnowledge, .refused("this libcurl has no HTTP/2"))
    }

    func testHandshakesAreCountedOnlyWithOpenSSL() {
        XCTAssertEqual(backports.handshakeCounts, .runs)
        var gnutls = backports
        gnutls.tls = "GnuTLS/3.7.9"
        guard case .refused(let why) = gnutls.handshakeCounts else { return XCTFail("GnuTLS has no SSL_CTX") }
        XCTAssertTrue(why.contains("GnuTLS/3.7.9"), why)
    }

    func testLinesSayWhatEachFeatureDoes() {
        XCTAssertEqual(backports.lines, [
            "libcurl 8.14.1 (OpenSSL/3.0.15, nghttp2/1.52.0)",
            "  --http2 over https (ALPN): runs",
            "  --http2 over http (h2c, prior knowledge): runs",
            "  TLS handshake counts (--verbose): counted",
            "  HTTP/2 answer before the request body: kept",
        ])
        XCTAssertTrue(debian12.lines[4].hasSuffix("the request fails, said in error_detail (fixed in libcurl 8.3.0, curl PR 11756)"), debian12.lines[4])
        XCTAssertTrue(debian12.lines[2].hasPrefix("  --http2 over http (h2c, prior knowledge): refused (curl#10634"), debian12.lines[2])
    }

    /// `scripts/test --libcurl8` sets STDB_EXPECT_LIBCURL_MAJOR=8: the lane fails if LD_LIBRARY_PATH did
    /// not give this process the libcurl it asked for.
    func testTheLoadedLibcurlIsTheOneTheLaneAskedFor() throws {
        let current = LibcurlFeatures.current
        XCTAssertEqual(current.version.split(separator: ".").first.flatMap { Int($0) }, current.versionNumber >> 16)
        guard let expected = ProcessInfo.processInfo.environment["STDB_EXPECT_LIBCURL_MAJOR"].flatMap({ Int($0) }) else { return }
        XCTAssertEqual(current.versionNumber >> 16, expected, "loaded libcurl \(current.version)")
    }
}
