import Foundation
import LoadCore
import XCTest
@testable import stress_test_db

/// Issue 26: 10,000 damaged results files, JSON Lines, time series and HDR logs through what
/// `compare`, `report` and `merge` call — reading, parsing, statistics, rendering — in this process.
/// Each must come out whole or be refused with a `FileError` that names the file; a crash fails the
/// whole run. Seeded (SplitMix64, seed 26): the same mutants every time.
final class MutationTests: XCTestCase {
    static let replacements = ["1e308", "-1", "nan", "\"\"", "-0", "1e-320", "99999999999999999999", "inf", "0", "null", "[]", "{}"]

    /// One mutation of `bytes`: a byte flipped, the end cut off, a span doubled, a number replaced, a span deleted.
    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix64) -> [UInt8] {
        guard !bytes.isEmpty else { return bytes }
        var bytes = bytes
        let at = Int.random(in: 0..<bytes.count, using: &random)
        let span = min(bytes.count - at, Int.random(in: 1...64, using: &random))
        switch Int.random(in: 0..<5, using: &random) {
        case 0: bytes[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &random))
        case 1: bytes.removeSubrange(at...)
        case 2: bytes.insert(contentsOf: bytes[at..<(at + span)], at: at)
        case 3:
            let digits = Set("-0123456789.e+".utf8)
            guard let start = bytes[at...].firstIndex(where: { digits.contains($0) }) else { return bytes }
            let end = bytes[start...].firstIndex { !digits.contains($0) } ?? bytes.count
            bytes.replaceSubrange(start..<end, with: Array(replacements.randomElement(using: &random)!.utf8))
        default: bytes.removeSubrange(at..<(at + span))
        }
        return bytes
    }

    static func recordLine(_ index: Int) -> String {
        let latency = 20 + Double(index * 37 % 90) / 4
        return #"{"status_code": \#(index % 9 == 0 ? 500 : 200), "latency_ms": \#(latency), "success": \#(index % 9 != 0), "error": null, "#
            + #""model": "m", "response_text": "hi", "response_truncated": false, "timestamp": "2026-11-29T10:00:\#(10 + index).250000+00:00", "#
            + #""connect_ms": 0.5, "ttfb_ms": 3.25, "bytes_received": 512, "vu": \#(index % 4), "chunks": 6, "ttft_ms": 4.5, "#
            + #""output_tokens": 6, "tokens_source": "usage", "start_lag_ms": 0.25, "turn": 1}"#
    }

    static let records = (0..<12).map(recordLine)
    static let document = #"{"metadata": {"vus": 4}, "statistics": {}, "raw_results": [\#n"# + records.joined(separator: ",\n") + "\n]}\n"
    static let series = (1...6).map { #"{"t": \#($0), "interval_s": 1, "requests": 9, "failed": \#($0 % 3), "rps": 9.5, "latency_ms": "#
        + #"{"p50": 21.5, "p95": 40, "p99": 41, "max": 42}, "ttft_ms": {"p50": 4, "p95": 6, "p99": 7}}"# }.joined(separator: "\n") + "\n"

    func testTenThousandDamagedFilesNeverCrashAndAreRefusedByName() throws {
        // In memory where the system has it (/dev/shm): 10,000 rewrites of a file on a loaded disk take long.
        let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()
        let folder = base + "mutations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Plain POSIX writes over one file per kind.
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = folder + "/" + name
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw FileError("cannot write \(path)") }
            defer { close(fd) }
            try FileOutput.writeAll(fd, bytes)
            return path
        }
        let baseline = try CompareRun(path: try write("a.json", Array(Self.document.utf8)))
        let otherShard = try write("b.hlog", Array(try MergeInputsTests.log(shard: "1/2").utf8))
        var spent: [String: Double] = [:]
        // The bootstrap (2,000 resamples) and the HTML page for one mutant in 8: the rest are read,
        // counted and rendered as the console block; every mutant still reaches the checks.
        var heavy = false
        let seeds: [(name: String, text: String, use: (String) throws -> Void)] = [
            ("m.json", Self.document, { path in
                let run = try CompareRun(path: path)
                guard heavy else { return }
                let comparison = try Comparison(a: baseline, b: run)
                _ = (comparison.table, comparison.json.pretty, try ReportInput(output: path).report().html)
            }),
            ("m.jsonl", Self.records.joined(separator: "\n") + "\n", { path in
                var statistics = Statistics()
                try RecordFiles.forEachJSONLine(path, flag: "--responses") { statistics.add($0) }
                _ = ConsoleReport.results(statistics)
                if heavy { _ = try ReportInput(responses: path).report().html }
            }),
            ("t.jsonl", Self.series, { _ = try ReportInput(timeseries: $0).report().html }),
            ("m.hlog", try MergeInputsTests.log(shard: "0/2", requests: 40), { path in
                let merge = try Merge(paths: [path, otherShard])
                let summary = try merge.summary()
                _ = (merge.headline(summary), ConsoleReport.results(summary), JSONReport.document(summary, records: []),
                     CSVReport.row(summary, index: 1))
            }),
        ]
        var random = SplitMix64(seed: 26)
        var (accepted, refused) = (0, 0)
        let started = Date()
        for round in 0..<10_000 {
            let seed = seeds[round % seeds.count]
            var bytes = Array(seed.text.utf8)
            for _ in 0..<Int.random(in: 1...3, using: &random) { bytes = Self.mutate(bytes, &random) }
            let path = try write(seed.name, bytes)
            heavy = round % 32 < 4
            let clock = Date()
            defer { spent[seed.name, default: 0] += Date().timeIntervalSince(clock) }
            do {
                try seed.use(path)
                accepted += 1
            } catch let error as FileError {
                refused += 1
                XCTAssertTrue(error.description.contains(seed.name), "mutant \(round): \(error) does not name the file")
            } catch {
                XCTFail("mutant \(round): not a FileError: \(error)")
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("MutationTests: 10000 mutants, \(accepted) read whole, \(refused) refused, \(String(format: "%.1f", seconds)) s \(spent.mapValues { String(format: "%.1f", $0) })")
        XCTAssertGreaterThan(refused, 1000, "the mutations damage files")
        XCTAssertGreaterThan(accepted, 100, "some mutants are still valid files")
    }
}
