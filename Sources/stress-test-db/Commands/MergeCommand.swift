import ArgumentParser
import Foundation

/// `stress-test-db merge`: shards' `--hdr` logs as one run (SPEC section 18).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge HdrHistogram logs (--hdr of each --shard, or another tool's) into one run's results.",
        discussion: """
            Counts add exactly; percentiles come from the merged histogram (3 significant digits); mean, stdev, min and max are exact from each shard's totals. Every shard must have ended: a log whose run was cut short has no totals and is refused. The logs must be of one run and one shard set (one N, each shard once); a missing shard is a warning, the merge is of the shards given.

            Example:
              stress-test-db merge shard-0.hlog shard-1.hlog shard-2.hlog \\
                  --csv results.csv --output merged.json

            Exit status: 0; 1 when a log cannot be read or merged (damaged, cut short, of another run or shard set), an output cannot be written, or more than 5% of the requests failed (as a run's exit).
            """
    )

    @Argument(help: ArgumentHelp("The HdrHistogram logs to merge.", valueName: "LOG"))
    var logs: [String]
    @Option(help: ArgumentHelp("Append the merged summary row to CSV.", valueName: "FILE"))
    var csv: String?
    @Option(help: ArgumentHelp("Save the merged JSON summary (raw_results empty).", valueName: "FILE"))
    var output: String?

    func validate() throws {
        guard !logs.isEmpty else { throw ValidationError("give the logs to merge: stress-test-db merge LOG...") }
    }

    func run() throws {
        let console = Console()
        let merge: Merge
        let summary: RunSummary
        do {
            merge = try Merge(paths: logs)
            summary = try merge.summary()
        } catch {
            console.error("\(error)")
            throw ExitCode(1)
        }
        for warning in merge.warnings { console.err(warning + "\n") }
        console.out(merge.headline(summary) + ConsoleReport.results(summary) + ConsoleReport.afterBlock(summary))
        var saved = SavedFiles()
        if let output {
            saved.write("--output", output, as: "Results saved to: \(output)") {
                try FileOutput.write(output, contents: JSONReport.document(summary, records: []), append: false)
            }
        }
        if let csv {
            saved.write("--csv", csv, as: "Summary row appended to: \(csv)") { try CSVReport.appendRow(summary, to: csv) }
        }
        console.out(ConsoleReport.closing(summary, savedFiles: saved.lines))
        for failure in saved.failures { console.error("\(failure)") }
        if !saved.failures.isEmpty || summary.highErrorRate { throw ExitCode(1) }
    }
}
