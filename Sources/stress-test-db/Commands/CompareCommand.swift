import ArgumentParser
import Foundation

/// `stress-test-db compare A.json B.json`: did B get slower? Side by side, with bootstrap intervals.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare two --output files (ours or the Python tool's): B − A, with 95% bootstrap intervals for p50 and p95.",
        discussion: """
            Uses: the database's share (a run with --no-persist against one without), the libcurl engine against --sync, a LAMB server before and after a change.

            Example:
              stress-test-db compare with-db.json without-db.json --json

            Exit status: 0; 1 when a file cannot be read, is damaged (cut short, not JSON, a latency that cannot be) or has no records in raw_results; the error names the file and the record.
            """
    )

    @Argument(help: "The baseline run's --output file.") var a: String
    @Argument(help: "The run compared with it.") var b: String
    @Flag(help: "Print the comparison as JSON.") var json = false

    func run() throws {
        let console = Console()
        do {
            let comparison = try Comparison(a: try CompareRun(path: a), b: try CompareRun(path: b))
            console.out(json ? comparison.json.pretty + "\n" : comparison.table)
        } catch {
            console.error("\(error)")
            throw ExitCode(1)
        }
    }
}
