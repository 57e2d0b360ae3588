import XCTest
@testable import stress_test_db

final class ConsoleTests: XCTestCase {
    func testScrubMasksEverySecretLongestFirst() {
        let console = Console(secrets: ["abcdef", "abcdefghij", "t"])
        XCTAssertEqual(console.scrub("token abcdefghij and abcdef, then t"), "token *** and ***, then t")
    }
}
