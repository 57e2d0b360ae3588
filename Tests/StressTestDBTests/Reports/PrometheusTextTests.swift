import LoadCore
import XCTest
@testable import stress_test_db

/// `GET /metrics` (SPEC 21), golden: families, types, cumulative buckets, label escaping.
final class PrometheusTextTests: XCTestCase {
    func testTheExpositionOfASmallRun() {
        var metrics = LiveMetrics(streaming: false)
        for latency in [3.0, 40, 40, 900] { metrics.add(record(latency: latency)) }
        metrics.add(record(status: 503, latency: 7))
        metrics.add(record(status: 0, latency: 200_000, failure: .timeout))
        let gauges = PrometheusText.Gauges(inFlight: 3, thinking: 0, target: 10, connectionsOpened: 12,
                                           version: "2.4.0", shard: "1/3", run: "a\"b")
        let text = PrometheusText.render(metrics, gauges)
        let expected = """
            # HELP stress_test_db_requests_total Requests completed, by outcome (success or the error kind) and HTTP status.
            # TYPE stress_test_db_requests_total counter
            stress_test_db_requests_total{outcome="HTTPStatus",status="503"} 1
            stress_test_db_requests_total{outcome="Timeout",status="0"} 1
            stress_test_db_requests_total{outcome="success",status="200"} 4
            # HELP stress_test_db_request_duration_seconds Request latency, from its start (or scheduled time) to its last byte.
            # TYPE stress_test_db_request_duration_seconds histogram
            stress_test_db_request_duration_seconds_bucket{le="0.005"} 1
            stress_test_db_request_duration_seconds_bucket{le="0.01"} 2
            stress_test_db_request_duration_seconds_bucket{le="0.025"} 2
            stress_test_db_request_duration_seconds_bucket{le="0.05"} 4
            stress_test_db_request_duration_seconds_bucket{le="0.1"} 4
            stress_test_db_request_duration_seconds_bucket{le="0.25"} 4
            stress_test_db_request_duration_seconds_bucket{le="0.5"} 4
            stress_test_db_request_duration_seconds_bucket{le="1"} 5
            stress_test_db_request_duration_seconds_bucket{le="2.5"} 5
            stress_test_db_request_duration_seconds_bucket{le="5"} 5
            stress_test_db_request_duration_seconds_bucket{le="10"} 5
            stress_test_db_request_duration_seconds_bucket{le="20"} 5
            stress_test_db_request_duration_seconds_bucket{le="30"} 5
            stress_test_db_request_duration_seconds_bucket{le="60"} 5
            stress_test_db_request_duration_seconds_bucket{le="120"} 5
            stress_test_db_request_duration_seconds_bucket{le="+Inf"} 6
            stress_test_db_request_duration_seconds_sum 200.99
            stress_test_db_request_duration_seconds_count 6
            # HELP stress_test_db_output_tokens_total Output tokens of successful streamed answers.
            # TYPE stress_test_db_output_tokens_total counter
            stress_test_db_output_tokens_total 0
            # HELP stress_test_db_in_flight Requests sent and not yet answered.
            # TYPE stress_test_db_in_flight gauge
            stress_test_db_in_flight 3
            # HELP stress_test_db_thinking Virtual users pausing between requests (--think).
            # TYPE stress_test_db_thinking gauge
            stress_test_db_thinking 0
            # HELP stress_test_db_target The target in force: virtual users, or requests per second with --rate.
            # TYPE stress_test_db_target gauge
            stress_test_db_target 10
            # HELP stress_test_db_connections_opened_total New connections opened.
            # TYPE stress_test_db_connections_opened_total counter
            stress_test_db_connections_opened_total 12
            # HELP stress_test_db_info The run: tool version, shard, run id.
            # TYPE stress_test_db_info gauge
            stress_test_db_info{version="2.4.0",shard="1/3",run="a\\"b"} 1

            """
        XCTAssertEqual(text, expected)
    }

    func testTheTimeToFirstTokenHistogramIsTheStreamingRunsOnly() {
        XCTAssertNil(LiveMetrics(streaming: false).timeToFirstToken)
        var metrics = LiveMetrics(streaming: true)
        metrics.add(record(latency: 500))
        XCTAssertEqual(metrics.timeToFirstToken?.count, 0, "no TTFT without a stream")
        XCTAssertTrue(PrometheusText.render(metrics, PrometheusText.Gauges(inFlight: 0, thinking: 0, target: 1, connectionsOpened: nil,
                                                                           version: "v", shard: "0/1", run: "r"))
            .contains("# TYPE stress_test_db_ttft_seconds histogram\n"))
    }
}
