import XCTest
@testable import stress_test_db

/// The --csv row, golden.
final class CSVReportTests: XCTestCase {
    func testCSVNewFile() {
        let summary = ReportFixtures.summary([record(latency: 1), record(status: 0, latency: 2, failure: .timeout),
                                    record(status: 500, latency: 3, body: "{}"), record(status: 0, latency: 2, failure: .timeout)],
                                   configuration: ReportFixtures.configuration(requests: 4, timeout: 1))
        XCTAssertEqual(CSVReport.append(summary, existing: nil),
                       "index,assistant_id,model,embedding_model,total_requests,vus,max_time,total_time,success_pct,error\r\n"
                       + "1,ok,m,nomic-embed-text-v1.5,4,5,1,0.34,25.00,Timeout(2); 500(1)\r\n")
    }

    func testCSVEmptyFileGetsHeaderAndIndexOne() {
        let summary = ReportFixtures.summary([record(latency: 1)])
        XCTAssertEqual(CSVReport.append(summary, existing: []), CSVReport.append(summary, existing: nil))
    }

    func testCSVAppendCountsLinesIncludingHeader() {
        let existing = Array("index,assistant_id\r\n1,ok,x\r\n2,mix,y\r\n3,slow,z\r\n".utf8)
        let summary = ReportFixtures.summary([record(latency: 1)], configuration: ReportFixtures.configuration(requests: nil, duration: 2))
        XCTAssertEqual(CSVReport.append(summary, existing: existing),
                       "4,ok,m,nomic-embed-text-v1.5,duration:2,5,120,0.34,100.00,\r\n")
    }

    func testCSVAppendAfterALineWithoutBreak() {
        let summary = ReportFixtures.summary([record(latency: 1)])
        XCTAssertEqual(CSVReport.append(summary, existing: Array("header\r\n1,row".utf8)),
                       "\r\n2,ok,m,nomic-embed-text-v1.5,20,5,120,0.34,100.00,\r\n")
    }

    func testCSVQuoting() {
        XCTAssertEqual(CSVReport.line(["plain", "a,b", "say \"hi\"", "two\nlines", ""]),
                       "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n")
    }


    /// Issue 26: a run stopped by a signal says so, with how long it ran (`total_time` is that wall time).
    func testAnInterruptedRunsRowSaysSo() {
        let summary = ReportFixtures.summary([record(latency: 1)], configuration: ReportFixtures.configuration(requests: nil, duration: 6),
                                             interrupted: true)
        XCTAssertEqual(CSVReport.row(summary, index: 1)[4...], ["duration:6", "5", "120", "0.34", "100.00", "Interrupted(after 0.34 s)"])
    }
}
