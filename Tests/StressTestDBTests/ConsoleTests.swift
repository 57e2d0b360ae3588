import XCTest
@testable import stress_test_db

final class ConsoleTests: XCTestCase {
    func testScrubMasksEverySecretLongestFirst() {
        let console = Console(secrets: ["abcdef", "abcdefghij", "t"])
        XCTAssertEqual(console.scrub("token abcdefghij and abcdef, then t"), "token *** and ***, then t")
    }

    func testWritableChecks() {
        XCTAssertNoThrow(try FileOutput.checkWritable(NSTemporaryDirectory() + "/new-file-\(UUID().uuidString)"))
        XCTAssertThrowsError(try FileOutput.checkWritable("/no/such/folder/file"))
        XCTAssertThrowsError(try FileOutput.checkWritable(NSTemporaryDirectory()))
        XCTAssertThrowsError(try FileOutput.checkWritable("/dev/null/file"))
    }
}
