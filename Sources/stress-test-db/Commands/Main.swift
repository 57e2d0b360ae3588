import ArgumentParser
import CurlEngine
import Foundation

/// The root command: subcommands, with `run` the default so the bare command is the Python tool's.
struct StressTestDB: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-test-db",
        abstract: "Load-test a LAMB server's assistant chat endpoint with concurrent virtual users.",
        version: ([ToolVersion.current] + LibcurlFeatures.current.lines).joined(separator: "\n"),
        subcommands: [RunCommand.self, SweepCommand.self, ReportCommand.self, CompareCommand.self, MergeCommand.self,
                      TraceCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

@main
enum Main {
    /// Exit status: what the command says; 0 after help; 2 for a malformed command line (with usage).
    static func main() {
        // The bare command's help is the run's, flag by flag, as the Python tool's was.
        if ["--help", "-h"].contains(CommandLine.arguments.dropFirst().first ?? ""), CommandLine.arguments.count == 2 {
            print(StressTestDB.helpMessage(for: RunCommand.self))
            exit(0)
        }
        if let refusal = notACommand(Array(CommandLine.arguments.dropFirst())) {
            FileHandle.standardError.write(Data((refusal + "\n").utf8))
            exit(2)
        }
        do {
            var command = try StressTestDB.parseAsRoot(NegativeValues.joined(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let message = StressTestDB.fullMessage(for: error)
            if StressTestDB.exitCode(for: error) == .success {
                print(message)
                exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            exit(2)
        }
    }

    /// `stress-test-db frobnicate`: a first word that is no subcommand would reach `run` (the default)
    /// and be answered with its missing `--vus`; it is named instead, with the commands there are.
    static func notACommand(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-") else { return nil }
        let names = StressTestDB.configuration.subcommands.compactMap { $0.configuration.commandName }
        guard !names.contains(first), first != "help" else { return nil }
        return "Error: '\(first)' is not a stress-test-db command. The commands: \(names.joined(separator: ", ")) "
            + "(run is the default: stress-test-db --vus 10 --requests 100). See stress-test-db help."
    }
}
