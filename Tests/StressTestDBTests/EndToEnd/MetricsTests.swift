import CurlEngine
import Foundation
import TestSupport
import XCTest

/// `--metrics` (SPEC 21) against lamb-sim: `/metrics` read by Prometheus' reference text parser and by a
/// real Prometheus server, the live dashboard rendered by headless Chromium during a run, and a port in
/// use refused before any load.
final class MetricsTests: BinaryTestCase {
    /// A loopback port free a moment ago (its reservation released on return).
    func freePort() -> Int { ReservedPort().port }

    func get(_ url: String) -> (status: Int, body: String) {
        let response = Probe.perform(method: "GET", url: url, timeoutSeconds: 5)
        return (response.statusCode, String(decoding: response.body, as: UTF8.self))
    }

    /// Polls `url` until it answers 200 (the run's listener is up), 60 s at most.
    func waitFor(_ url: String, file: StaticString = #filePath, line: UInt = #line) {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if get(url).status == 200 { return }
            usleep(100_000)
        }
        XCTFail("\(url) never answered", file: file, line: line)
    }

    /// Waits until the run has written `name` (its results are out; the listener lingers).
    /// Waits for the run's end, which the `--output` document marks: it is written once, after the
    /// last record, and renamed into place whole (a reader never sees part of it). Until then, nothing
    /// at that path parses; the totals of the first document that does are the run's.
    @discardableResult
    func waitForRunEnd(_ name: String) -> (requests: Int, p95: Double)? {
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            if let totals = try? total(name) { return totals }
            usleep(100_000)
        }
        XCTFail("the run did not end: no whole \(name) within 120 s")
        return nil
    }

    func total(_ output: String) throws -> (requests: Int, p95: Double) {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path(output)))) as? [String: Any]
        guard let statistics = document?["statistics"] as? [String: Any], let requests = statistics["total_requests"] as? Int,
              let p95 = (statistics["latency_ms"] as? [String: Any])?["p95"] as? Double else { throw CocoaError(.fileReadCorruptFile) }
        return (requests, p95 / 1000)
    }

    func testMetricsParseWithTheReferenceParserAndEqualTheRunsTotals() throws {
        let server = try LambSimServer(["--ttft-ms", "20-40", "--itl-ms", "2-4", "--tokens", "8"])
        let port = freePort()
        var text = "", series = ""
        let output = try stressTest(
            ["--vus", "20", "--duration", "3", "--stream", "--think", "20ms..60ms", "--metrics", "127.0.0.1:\(port)",
             "--metrics-linger", "30", "--output", "o.json"], environment: environment(server.baseURL)) { process in
            self.waitForRunEnd("o.json")
            text = self.get("http://127.0.0.1:\(port)/metrics").body
            series = self.get("http://127.0.0.1:\(port)/series").body
            kill(process.processIdentifier, SIGINT)  // ends the linger
        }
        XCTAssertEqual(output.status, 130, output.all)
        XCTAssertTrue(output.stderr.contains("Metrics: http://127.0.0.1:\(port)/metrics"), output.stderr)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path("metrics.txt")))
        let parser = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                out[family.name] = {"type": family.type, "samples": [[s.name, s.labels, s.value] for s in family.samples]}
            print(json.dumps(out))
            """
        let parsed = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", parser, path("metrics.txt")],
                                    inheritEnvironment: true)
        XCTAssertEqual(parsed.status, 0, parsed.all)
        let families = try JSONSerialization.jsonObject(with: Data(parsed.stdout.utf8)) as! [String: [String: Any]]
        let types = families.mapValues { $0["type"] as? String ?? "" }
        XCTAssertEqual(types["stress_test_db_requests"], "counter")
        XCTAssertEqual(types["stress_test_db_request_duration_seconds"], "histogram")
        XCTAssertEqual(types["stress_test_db_ttft_seconds"], "histogram")
        XCTAssertEqual(types["stress_test_db_output_tokens"], "counter")
        for gauge in ["stress_test_db_in_flight", "stress_test_db_thinking", "stress_test_db_target", "stress_test_db_info"] {
            XCTAssertEqual(types[gauge], "gauge", gauge)
        }
        func samples(_ family: String) -> [(name: String, labels: [String: String], value: Double)] {
            (families[family]?["samples"] as? [[Any]] ?? []).map { ($0[0] as! String, $0[1] as! [String: String], $0[2] as! Double) }
        }
        let run = try total("o.json")
        XCTAssertEqual(Int(samples("stress_test_db_requests").reduce(0) { $0 + $1.value }), run.requests, "counters equal the run's totals")
        XCTAssertEqual(samples("stress_test_db_request_duration_seconds").first { $0.name.hasSuffix("_count") }?.value, Double(run.requests))
        XCTAssertTrue(samples("stress_test_db_requests").allSatisfy { $0.labels["outcome"] == "success" && $0.labels["status"] == "200" })
        XCTAssertGreaterThan(samples("stress_test_db_output_tokens").first?.value ?? 0, Double(run.requests))
        XCTAssertEqual(samples("stress_test_db_info").first?.labels["shard"], "0/1")
        let lines = try JSONSerialization.jsonObject(with: Data(series.utf8)) as! [[String: Any]]
        XCTAssertGreaterThan(lines.count, 0)
        XCTAssertLessThanOrEqual(lines.reduce(0) { $0 + ($1["requests"] as? Int ?? 0) }, run.requests)
    }

    func testAPortInUseIsOneErrorBeforeAnyLoad() throws {
        let server = try LambSimServer(["--latency-ms", "1"])
        let taken = try RawListener(.reply("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        let output = try stressTest(["--vus", "2", "--requests", "5", "--metrics", "127.0.0.1:\(taken.port)"],
                                    environment: environment(server.baseURL))
        XCTAssertEqual(output.status, 1, output.all)
        XCTAssertTrue(output.stderr.contains("Error: cannot listen on --metrics 127.0.0.1:\(taken.port)"), output.stderr)
        XCTAssertEqual(try server.stats()["received"] as? Int, 0, "no load was sent")
        let usage = try stressTest(["--vus", "2", "--requests", "5", "--metrics-linger", "3"], environment: [:])
        XCTAssertEqual(usage.status, 2, usage.all)
    }

    /// Debian's Prometheus scrapes the run every second; its HTTP API then says what the run said.
    func testARealPrometheusSeesTheRunsTotalsAndItsP95() throws {
        let prometheus = try XCTUnwrap(["/usr/bin/prometheus"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                       "prometheus is installed by scripts/test")
        let server = try LambSimServer(["--latency-ms", "5-60"])
        let (target, api) = (freePort(), freePort())
        try """
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: stress-test-db
                static_configs:
                  - targets: ['127.0.0.1:\(target)']
            """.write(toFile: path("prometheus.yml"), atomically: true, encoding: .utf8)
        let scraper = Process()
        scraper.executableURL = URL(fileURLWithPath: prometheus)
        scraper.arguments = ["--config.file=\(path("prometheus.yml"))", "--storage.tsdb.path=\(path("tsdb"))",
                             "--web.listen-address=127.0.0.1:\(api)", "--log.level=error"]
        scraper.standardOutput = FileHandle.nullDevice
        scraper.standardError = FileHandle.nullDevice
        try scraper.run()
        defer { scraper.terminate(); scraper.waitUntilExit() }
        waitFor("http://127.0.0.1:\(api)/-/ready")
        func answer(_ expression: String) -> [String: Any]? {
            let encoded = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
            let body = get("http://127.0.0.1:\(api)/api/v1/query?query=\(encoded)").body
            return try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        }
        func query(_ expression: String) -> Double? {
            let result = ((answer(expression)?["data"] as? [String: Any])?["result"] as? [[String: Any]])?.first
            return ((result?["value"] as? [Any])?.last as? String).flatMap(Double.init)
        }
        // deploy/grafana's panels, each expression asked of this Prometheus: valid PromQL with data.
        let grafana = try JSONSerialization.jsonObject(with: Data(contentsOf: DocumentationExampleTests.root
            .appendingPathComponent("deploy/grafana/stress-test-db.json"))) as! [String: Any]
        let expressions = (grafana["panels"] as! [[String: Any]]).flatMap { ($0["targets"] as! [[String: Any]]).map { $0["expr"] as! String } }
        var panels: [String: Int] = [:]
        var seen: (requests: Double?, count: Double?, p95: Double?) = (nil, nil, nil)
        var run = (requests: 0, p95: 0.0)
        let output = try stressTest(["--vus", "10", "--duration", "4", "--stream", "--metrics", "127.0.0.1:\(target)", "--metrics-linger", "60",
                                     "--output", "o.json"], environment: environment(server.baseURL)) { process in
            run = self.waitForRunEnd("o.json") ?? (0, 0)
            // Scrapes after the run's end see its final counters.
            let deadline = Date().addingTimeInterval(30)
            while Date() < deadline {
                seen.requests = query("sum(stress_test_db_requests_total)")
                if seen.requests == Double(run.requests) { break }
                usleep(500_000)
            }
            seen.count = query("sum(stress_test_db_request_duration_seconds_count)")
            seen.p95 = query("histogram_quantile(0.95, sum by (le) (stress_test_db_request_duration_seconds_bucket))")
            usleep(3_000_000)  // a few more scrapes: a rate needs two samples in its window
            for expression in expressions {
                let concrete = expression.replacingOccurrences(of: "$__rate_interval", with: "30s").replacingOccurrences(of: "$job", with: ".*")
                let reply = answer(concrete)
                panels[expression] = reply?["status"] as? String == "success"
                    ? ((reply?["data"] as? [String: Any])?["result"] as? [Any])?.count ?? 0 : -1
            }
            kill(process.processIdentifier, SIGINT)
        }
        XCTAssertEqual(output.status, 130, output.all)
        XCTAssertGreaterThan(run.requests, 100)
        XCTAssertEqual(seen.requests, Double(run.requests), "sum(stress_test_db_requests_total)")
        XCTAssertEqual(seen.count, Double(run.requests), "the histogram's _count")
        // Within one bucket of the run's p95: in its bucket or a neighbour.
        let bounds = [0.0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120]
        let bucket = bounds.firstIndex { $0 >= run.p95 } ?? bounds.count - 1
        let allowed = bounds[max(0, bucket - 2)]...bounds[min(bounds.count - 1, bucket + 1)]
        XCTAssertTrue(seen.p95.map(allowed.contains) ?? false, "histogram_quantile \(String(describing: seen.p95)) vs the run's p95 \(run.p95)")
        XCTAssertEqual(panels.count, expressions.count)
        for (expression, results) in panels {
            // A run without failures has no failed series: the error rate's panel is empty, and valid.
            XCTAssertGreaterThanOrEqual(results, expression.contains(#"outcome!="success""#) ? 0 : 1, "Grafana panel expression: \(expression)")
        }
    }

    /// The live dashboard as a person sees it mid-run: Chromium (headless) loads it, its script reads
    /// `/series`, and the charts hold points, not just a page that loads.
    func testTheLiveDashboardHoldsDataInAHeadlessBrowser() throws {
        let browser = try XCTUnwrap(HTMLReportTests.chromium.map(URL.init(fileURLWithPath:)), "chromium is installed by scripts/test")
        let server = try LambSimServer(["--latency-ms", "5-30"])
        let port = freePort()
        var dom = ""
        let output = try stressTest(["--vus", "8", "--duration", "6", "--interval", "0.5", "--think", "10ms..30ms",
                                     "--metrics", "127.0.0.1:\(port)", "--metrics-linger", "60"],
                                    environment: environment(server.baseURL)) { process in
            self.waitFor("http://127.0.0.1:\(port)/metrics")
            usleep(3_000_000)
            let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--user-data-dir=\(self.path("profile"))",
                          "--window-size=1280,800", "--virtual-time-budget=4000"]
            dom = (try? runProcess(browser, common + ["--dump-dom", "http://127.0.0.1:\(port)/"], timeout: 120))?.stdout ?? ""
            _ = try? runProcess(browser, common + ["--screenshot=\(self.path("dashboard.png"))", "http://127.0.0.1:\(port)/"], timeout: 120)
            kill(process.processIdentifier, SIGINT)
        }
        XCTAssertEqual(output.status, 130, output.all)
        let points = dom.range(of: #"data-points="(\d+)""#, options: .regularExpression).map { dom[$0].filter(\.isNumber) }
        XCTAssertGreaterThan(Int(points ?? "") ?? 0, 10, "the charts hold points: \(dom.prefix(400))")
        XCTAssertTrue(dom.contains(#"data-series="p95""#), "the latency chart")
        XCTAssertTrue(dom.contains(#"data-series="thinking""#), "the load chart")
        XCTAssertFalse(dom.contains(">no answer<"), "the page read /series")
        let shot = try Data(contentsOf: URL(fileURLWithPath: path("dashboard.png")))
        XCTAssertGreaterThan(shot.count, 10_000, "a screenshot with something on it")
        try? FileManager.default.removeItem(atPath: "/tmp/stdb-dashboard.png")
        try? FileManager.default.copyItem(atPath: path("dashboard.png"), toPath: "/tmp/stdb-dashboard.png")
    }
}
