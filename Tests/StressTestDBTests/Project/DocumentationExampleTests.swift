import ArgumentParser
import Foundation
import XCTest
@testable import stress_test_db

/// Every `stress-test-db` command line in README.md and docs/*.md still parses with today's flags (the
/// command's own parser and its validation), so an example a user copies does not fail on a flag.
final class DocumentationExampleTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func testEveryCommandLineInTheDocsParses() throws {
        let docs = try FileManager.default.contentsOfDirectory(atPath: Self.root.appendingPathComponent("docs").path)
            .filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        var checked = 0
        for file in ["README.md"] + docs.sorted() {
            let text = try String(contentsOf: Self.root.appendingPathComponent(file), encoding: .utf8)
            for example in DocumentationExamples.commands(in: text) {
                checked += 1
                do { _ = try StressTestDB.parseAsRoot(example.arguments) } catch {
                    XCTFail("\(file): `\(example.line)` does not parse: \(StressTestDB.message(for: error))")
                }
            }
        }
        XCTAssertGreaterThan(checked, 15, "the docs hold the examples (is the extraction still finding them?)")
    }

    func testTheExtractionFindsCommandsInShellSyntax() {
        let text = """
            ```bash
            LAMB_PASSWORD=x .build/release/stress-test-db --login a@b.c --vus 5 \\
              --prompt "Hi there"   # a comment
            for vus in 50 100; do stress-test-db --vus $vus --csv p.csv; done
            stress-test-db compare a.json b.json | tee out.txt
            ```
            `stress-test-db` in prose is not a command.
            """
        XCTAssertEqual(DocumentationExamples.commands(in: text).map(\.arguments), [
            ["--login", "a@b.c", "--vus", "5", "--prompt", "Hi there"],
            ["--vus", "1", "--csv", "p.csv"],
            ["compare", "a.json", "b.json"],
        ])
    }
}

/// The `stress-test-db` command lines in a Markdown text's fenced code blocks.
enum DocumentationExamples {
    struct Example {
        var line: String
        var arguments: [String]
    }

    static func commands(in markdown: String) -> [Example] {
        var examples: [Example] = []
        var inBlock = false
        var pending = ""
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if raw.trimmingCharacters(in: .whitespaces).hasPrefix("```") {
                inBlock.toggle()
                continue
            }
            guard inBlock else { continue }
            if raw.hasSuffix("\\") {
                pending += raw.dropLast() + " "
                continue
            }
            let line = pending + raw
            pending = ""
            for command in split(words(line)) {
                guard let at = command.firstIndex(where: { $0 == "stress-test-db" || $0.hasSuffix("/stress-test-db") }),
                      command[..<at].allSatisfy({ $0.contains("=") || ["do", "then"].contains($0) }) else { continue }
                examples.append(Example(line: line.trimmingCharacters(in: .whitespaces),
                                        arguments: command[(at + 1)...].map { $0.hasPrefix("$") ? "1" : $0 }))
            }
        }
        return examples
    }

    /// Shell words: quotes removed, a `#` comment dropped, operators as words of their own.
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quote: Character?
        var started = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                started = true
            } else if character == " " || character == "\t" {
                if started || !word.isEmpty { words.append(word) }
                word = ""
                started = false
            } else if character == "#" && word.isEmpty && !started {
                break
            } else if ";|&>".contains(character) {
                if started || !word.isEmpty { words.append(word) }
                words.append(String(character))
                word = ""
                started = false
            } else {
                word.append(character)
            }
        }
        if started || !word.isEmpty { words.append(word) }
        return words
    }

    /// Commands separated by `;`, `|`, `&&`; a redirection ends a command's arguments.
    static func split(_ words: [String]) -> [[String]] {
        var commands: [[String]] = [[]]
        var redirected = false
        for word in words {
            if [";", "|", "&"].contains(word) {
                if !(commands.last?.isEmpty ?? true) { commands.append([]) }
                redirected = false
            } else if word == ">" {
                redirected = true
            } else if !redirected {
                commands[commands.count - 1].append(word)
            }
        }
        return commands.filter { !$0.isEmpty }
    }
}
