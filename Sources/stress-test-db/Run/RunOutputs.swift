import Foundation

/// The files a run writes as it goes, opened (and every end-of-run path checked) before any load.
struct RunOutputs {
    /// `--responses`: the JSONL file, appended to.
    let responses: Int32?
    /// `--output`: where records wait for the document written at the end.
    let spool: RawResultsSpool?
    let timeSeries: TimeSeriesOutput?

    init(_ configuration: Configuration.Outputs, streaming: Bool, spool keepsSpool: Bool) throws {
        try configuration.checkPaths()
        func opening<T>(_ flag: String, _ path: String?, _ open: (String) throws -> T) throws -> T? {
            guard let path else { return nil }
            do { return try open(path) } catch {
                throw ConfigurationError("cannot write \(flag) \(path): \(error). Choose a writable path.")
            }
        }
        spool = try opening("--output", keepsSpool ? configuration.outputPath : nil) { try RawResultsSpool(beside: $0) }
        responses = try opening("--responses", configuration.responsesPath, FileOutput.openForAppend)
        if configuration.keepsTimeSeries, let interval = configuration.intervalSeconds {
            do {
                timeSeries = try TimeSeriesOutput(intervalSeconds: interval, streaming: streaming,
                                                  path: configuration.timeSeriesPath)
            } catch {
                throw ConfigurationError("cannot write --timeseries \(configuration.timeSeriesPath ?? ""): \(error). Choose a writable path.")
            }
        } else {
            timeSeries = nil
        }
    }

    func close() {
        if let responses { Glibc.close(responses) }
    }
}
