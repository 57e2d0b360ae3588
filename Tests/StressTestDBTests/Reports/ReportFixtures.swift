import XCTest
@testable import stress_test_db

/// A configuration and run summaries made up for the golden report tests.
enum ReportFixtures {
    static func configuration(requests: Int? = 20, duration: Double? = nil, timeout: Double = 120) -> Configuration {
        let arguments = ["--vus", "5", "--timeout", "\(timeout)"] + (requests.map { ["--requests", "\($0)"] } ?? [])
            + (duration.map { ["--duration", "\($0)"] } ?? [])
        return try! Configuration.resolve(
            options: RunOptions.parse(arguments),
            environment: ["API_BASE_URL": "http://127.0.0.1:41721", "JWT_TOKEN": "t", "ASSISTANT_ID": "ok"],
            readFile: { _ in nil })
    }

    static func summary(_ records: [ResponseRecord], configuration: Configuration = configuration(),
                        interrupted: Bool = false) -> RunSummary {
        var statistics = Statistics()
        for record in records { statistics.add(record) }
        return RunSummary(run: configuration.runDescription, statistics: statistics,
                          startedAtMicroseconds: 1_795_916_217_286_553, wallSeconds: 0.3449,
                          embeddingModel: "nomic-embed-text-v1.5", interrupted: interrupted)
    }
}
