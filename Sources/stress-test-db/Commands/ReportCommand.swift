import ArgumentParser
import Foundation

/// `stress-test-db report`: the HTML report from files already written, the Python tool's included.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Build the HTML report from a run's files (--responses JSONL, --timeseries JSONL, --output JSON), the Python tool's too.",
        // ArgumentParser does not wrap the usage line: short enough for 80 columns.
        usage: "stress-test-db report [--responses F] [--timeseries F] [--output F] -o R",
        discussion: """
            Example:
              stress-test-db report --responses r.jsonl --timeseries t.jsonl -o r.html

            Exit status: 0 when the report was written; 1 when a file cannot be read or written, or is damaged (the error names the file and the line; the report is then left as it was).
            """
    )

    @Option(help: ArgumentHelp("Per-request JSON Lines (ours or the Python tool's).", valueName: "FILE"))
    var responses: String?
    @Option(help: ArgumentHelp("The --timeseries JSON Lines of the run.", valueName: "FILE"))
    var timeseries: String?
    @Option(help: ArgumentHelp("The --output JSON document (ours or the Python tool's): its raw_results.", valueName: "FILE"))
    var output: String?
    @Option(name: .short, help: ArgumentHelp("The HTML file to write.", valueName: "FILE.html"))
    var outputHTML: String

    func validate() throws {
        guard responses != nil || timeseries != nil || output != nil else {
            throw ValidationError("give at least one of --responses, --timeseries, --output: the files to build the report from.")
        }
    }

    func run() throws {
        let console = Console()
        do {
            let report = try ReportInput(responses: responses, timeseries: timeseries, output: output).report()
            try FileOutput.write(outputHTML, contents: report.html, append: false)
            console.out("Report written to: \(outputHTML)\n")
        } catch {
            console.error("\(error)")
            throw ExitCode(1)
        }
    }
}
