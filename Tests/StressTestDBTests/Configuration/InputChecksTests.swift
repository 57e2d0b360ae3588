import XCTest
@testable import stress_test_db

/// Issue 26's silent acceptances, in-process: the request URL from its parts, header values, and
/// files that would overwrite each other.
final class InputChecksTests: XCTestCase {
    func testTheRequestURLIsBuiltFromItsParts() throws {
        let rows: [(base: String, path: String, id: String, url: String)] = [
            ("http://h:1", "/creator/assistant/{assistant_id}/chat/completions", "7", "http://h:1/creator/assistant/7/chat/completions"),
            ("http://h:1/prefix", "/v1/{assistant_id}", "a-b_c.d~e", "http://h:1/prefix/v1/a-b_c.d~e"),
            ("https://h", "//v1/chat?api-version=2", "1", "https://h/v1/chat?api-version=2"),
        ]
        for row in rows {
            let base = try Configuration.validatedBaseURL(row.base)
            XCTAssertEqual(try Configuration.buildRequestURL(base: base, path: row.path, assistantID: row.id), row.url)
        }
    }

    func testWhatWouldMakeAnotherURLIsRefused() {
        for (base, says) in [("http://h:1?x=1", "has a query"), ("http://h:1/p?x=1", "has a query"), ("http://h:1/#top", "has a fragment"),
                             ("http://h:1/a b", "has a space"), ("http://h:1/a\tb", "U+0009")] {
            XCTAssertThrowsError(try Configuration.validatedBaseURL(base), base) { XCTAssertTrue("\($0)".contains(says), "\($0)") }
        }
        for id in ["../x", "..", ".", "a/b", "a?b", "a#b", "a b", "a\nb"] {
            XCTAssertThrowsError(try Configuration.buildRequestURL(base: "http://h:1", path: "/a/{assistant_id}/c", assistantID: id), id) {
                XCTAssertTrue("\($0)".contains("is not one path segment"), "\($0)")
            }
        }
        // Without {assistant_id} the id is not in the URL: nothing to check.
        XCTAssertNoThrow(try Configuration.buildRequestURL(base: "http://h:1", path: "/v1/chat/completions", assistantID: "../x"))
    }

    func testAHeaderValueWithAControlCharacterIsRefusedWithoutShowingIt() {
        for (token, says) in [("abc\nX-Evil: 1", "a line feed"), ("abc\r", "a carriage return"), ("a\u{0}b", "U+0000"), ("a\u{7F}", "U+007F")] {
            XCTAssertThrowsError(try Configuration.checkHeaderValue(token, "the token")) { error in
                XCTAssertTrue("\(error)".contains(says), "\(error)")
                XCTAssertFalse("\(error)".contains("abc"), "the token is not shown")
            }
        }
        XCTAssertNoThrow(try Configuration.checkHeaderValue("eyJhbGciOi.JIUzI1-NiJ9_x+/=", "the token"))
        XCTAssertNoThrow(try Configuration.checkHeaderValue(nil, "the token"))
    }

    func testTwoOutputsOnOneFileOrAnOutputThatIsAnInput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = folder.appendingPathComponent("prompts.txt").path
        try Data("Hi\n".utf8).write(to: URL(fileURLWithPath: existing))
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link.txt").path, withDestinationPath: existing)
        let x = folder.appendingPathComponent("x.json").path
        func named(_ pairs: [(String, String)]) -> [FileRoles.Named] { pairs.map { FileRoles.Named(flag: $0.0, path: $0.1) } }

        let same = [(x, folder.path + "/./x.json"), (x, folder.path + "/sub/../x.json"), (existing, folder.path + "/link.txt")]
        for (first, second) in same {
            XCTAssertThrowsError(try FileRoles.check(outputs: named([("--output", first), ("--csv", second)]), inputs: [])) {
                XCTAssertTrue("\($0)".contains("are the same file"), "\($0)")
            }
        }
        XCTAssertThrowsError(try FileRoles.check(outputs: named([("--report", folder.path + "/link.txt")]),
                                                 inputs: named([("--prompts", existing)]))) {
            XCTAssertTrue("\($0)".contains("is the file --prompts"), "\($0)")
        }
        XCTAssertNoThrow(try FileRoles.check(outputs: named([("--output", x), ("--csv", folder.path + "/x.csv"), ("--hdr", folder.path + "/sub/x.json")]),
                                             inputs: named([("--prompts", existing)])))
    }
}
