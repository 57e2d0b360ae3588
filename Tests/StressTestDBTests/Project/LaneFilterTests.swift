import Foundation
import XCTest

/// The lanes that run a chosen part of the suite (the sanitizers', libcurl 8's) name test classes and
/// methods in a `--filter`; a name that no longer exists matches nothing and the lane silently runs less
/// (the pipeline tests dropped out of the sanitizer lanes that way when they were renamed). Every name
/// they give must be a test the suite has.
final class LaneFilterTests: XCTestCase {
    static let root = DocumentationExampleTests.root

    /// Every `final class NameTests` and `func testName(` under Tests/, by class.
    func suite() throws -> [String: Set<String>] {
        var tests: [String: Set<String>] = [:]
        let folder = Self.root.appendingPathComponent("Tests")
        let files = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        while let url = files?.nextObject() as? URL {
            guard url.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            var current: String?
            for line in text.split(separator: "\n") {
                if let name = line.firstMatch(of: /class (\w+Tests)\b/)?.1 { current = String(name) }
                if let current, let method = line.firstMatch(of: /func (test\w+)\(/)?.1 {
                    tests[current, default: []].insert(String(method))
                }
            }
        }
        return tests
    }

    /// The test classes a filter names, with the methods it names (nil: the whole class or a pattern).
    func named(in filter: String) -> [(test: String, methods: [String]?)] {
        filter.matches(of: /(\w+Tests)(?:\/test(?:\(([\w|]+)\)|(\w+))\$)?/).compactMap { match in
            let name = String(match.1)
            guard !["StressTestDBTests", "CurlEngineTests", "LoadCoreTests"].contains(name) || match.2 != nil || match.3 != nil
            else { return nil }  // module names, which end in "Tests" too
            let methods = match.2.map { $0.split(separator: "|").map { "test" + $0 } } ?? match.3.map { ["test" + $0] }
            return (name, methods)
        }
    }

    func testEveryTestTheLanesNameExists() throws {
        let suite = try suite()
        for script in ["scripts/lib/sanitize.sh", "scripts/lib/libcurl8.sh"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(script), encoding: .utf8)
            let names = named(in: text)
            XCTAssertGreaterThan(names.count, 3, "\(script) names the tests it runs")
            for (test, methods) in names {
                XCTAssertNotNil(suite[test], "\(script) names \(test), which no file under Tests/ declares")
                for method in methods ?? [] where suite[test] != nil {
                    XCTAssertTrue(suite[test]!.contains(method), "\(script) names \(test)/\(method), which \(test) does not have")
                }
            }
        }
    }

    func testAStaleNameIsCaught() {
        let names = named(in: #""${e2e}(RecordCollectorTests|LoadTestCollectTests)/" "${e2e}LoopsTests/test(Gone|Kept)$""#)
        XCTAssertEqual(names.map(\.test), ["RecordCollectorTests", "LoadTestCollectTests", "LoopsTests"])
        XCTAssertEqual(names.last?.methods, ["testGone", "testKept"])
    }
}
