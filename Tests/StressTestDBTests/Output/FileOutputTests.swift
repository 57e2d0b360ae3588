import Foundation
import XCTest
@testable import stress_test_db

final class FileOutputTests: XCTestCase {
    func testWritableChecks() {
        XCTAssertNoThrow(try FileOutput.checkWritable(NSTemporaryDirectory() + "/new-file-\(UUID().uuidString)"))
        XCTAssertThrowsError(try FileOutput.checkWritable("/no/such/folder/file"))
        XCTAssertThrowsError(try FileOutput.checkWritable(NSTemporaryDirectory()))
        XCTAssertThrowsError(try FileOutput.checkWritable("/dev/null/file"))
    }
}
