import ArgumentParser
import Foundation
import LambTrace

/// `stress-test-db trace`: a real class's traffic as a file to replay (SPEC section 24).
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Export a real class's conversations from LAMB's database as a trace file.",
        subcommands: [TraceExportCommand.self]
    )
}

/// `stress-test-db trace export`: LAMB's SQLite file, read-only, to a trace of JSON Lines.
struct TraceExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Read LAMB's SQLite database (read-only) and write its conversations as a trace file.",
        discussion: """
            A conversation is a chat of LAMB_lamb_chats (its user messages along the latest branch); a completion of LAMB_usage_logs without a persisted chat is a conversation of one turn. The database is only read, in short transactions: safe beside a running LAMB.

            Example:
              stress-test-db trace export --lamb-db backend/lamb.db --since 2026-12-01T09:00:00Z \\
                  --until 2026-12-01T11:00:00Z --assistant 4 --anonymize --out class.trace.jsonl

            Exit status: 0; 1 when the database cannot be read, is not LAMB's, holds nothing to export, or the trace cannot be written; 2 for a malformed command line.
            """
    )

    @Option(name: .customLong("lamb-db"), help: ArgumentHelp("LAMB's SQLite database, opened read-only.", valueName: "PATH"))
    var lambDB: String
    @Option(help: ArgumentHelp("Conversations whose first message is at or after T (ISO-8601 or epoch seconds).", valueName: "T"))
    var since: String?
    @Option(help: ArgumentHelp("Conversations whose first message is before T (ISO-8601 or epoch seconds).", valueName: "T"))
    var until: String?
    @Option(help: ArgumentHelp("Only these assistants (LAMB's ids, comma-separated).", valueName: "IDS"))
    var assistant: String?
    @Flag(help: "Write each prompt's length (prompt_chars) instead of its text.")
    var anonymize = false
    @Option(help: ArgumentHelp("The trace file to write (JSON Lines; replaced whole).", valueName: "FILE"))
    var out: String

    func validate() throws {
        let since = try since.map { try Self.time($0, flag: "--since") }
        let until = try until.map { try Self.time($0, flag: "--until") }
        if let since, let until, since >= until {
            throw ValidationError("--since must be before --until")
        }
        if let assistant, TraceFlags.assistants(assistant) == nil {
            throw ValidationError("--assistant takes LAMB's assistant ids, comma-separated (e.g. --assistant 1,4), not '\(assistant)'")
        }
    }

    private static func time(_ text: String, flag: String) throws -> Double {
        guard let time = TraceFlags.time(text) else {
            throw ValidationError("\(flag) takes a time as ISO-8601 with its zone (2026-12-01T09:00:00Z) or epoch seconds, not '\(text)'")
        }
        return time
    }

    func run() throws {
        let console = Console()
        let options = TraceOptions(since: since.flatMap(TraceFlags.time), until: until.flatMap(TraceFlags.time),
                                   assistants: assistant.flatMap(TraceFlags.assistants), anonymize: anonymize)
        do {
            if TraceFlags.overwrites(out, database: lambDB) {
                throw FileError("--out \(out) is the LAMB database itself; give another file")
            }
            do { try FileOutput.checkWritable(out) } catch { throw FileError("--out \(out) cannot be written: \(error)") }
            let trace = try TraceExport.export(try LambDatabase(path: lambDB), options: options)
            if trace.requests.isEmpty {
                throw FileError("--lamb-db \(lambDB) holds no conversation to export"
                                + (options.since != nil || options.until != nil || options.assistants != nil
                                   ? " with these --since, --until and --assistant" : ""))
            }
            try TraceFile.write(trace, to: out)
            console.out(TraceSummary.text(trace, path: out))
        } catch {
            console.error("\(error)")
            throw ExitCode(1)
        }
    }
}
