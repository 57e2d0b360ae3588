import Foundation
import TestSupport
import XCTest
import Yams

/// The files in deploy/kubernetes parse as Kubernetes objects and hold what the README says: an
/// Indexed Job whose N matches its --shard, the token from a Secret, every output on the shared
/// volume the merge Job reads, and a two-stage image on slim Debian with libcurl.
final class KubernetesManifestTests: XCTestCase {
    let folder = fixture("").deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/kubernetes")

    func manifest(_ name: String) throws -> [String: Any] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        return try XCTUnwrap(try Yams.load(yaml: text) as? [String: Any], name)
    }

    func podSpec(_ job: [String: Any]) throws -> [String: Any] {
        let spec = try XCTUnwrap(job["spec"] as? [String: Any])
        return try XCTUnwrap((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
    }

    func container(_ job: [String: Any]) throws -> [String: Any] {
        try XCTUnwrap((try podSpec(job)["containers"] as? [[String: Any]])?.first)
    }

    func script(_ job: [String: Any]) throws -> String {
        try XCTUnwrap((try container(job)["args"] as? [String])?.joined(separator: " "))
    }

    func testTheShardsAreAnIndexedJobWhoseCountMatchesItsShardFlag() throws {
        let job = try manifest("shards-job.yaml")
        XCTAssertEqual(job["kind"] as? String, "Job")
        let spec = try XCTUnwrap(job["spec"] as? [String: Any])
        XCTAssertEqual(spec["completionMode"] as? String, "Indexed")
        let shards = try XCTUnwrap(spec["completions"] as? Int)
        XCTAssertEqual(spec["parallelism"] as? Int, shards, "all shards at once")
        XCTAssertEqual(spec["backoffLimit"] as? Int, 0, "a failed shard is not re-run")
        let command = try script(job)
        XCTAssertTrue(command.contains("--shard \"$JOB_COMPLETION_INDEX/\(shards)\""), command)
        for flag in ["--hdr \"/results/shard-$JOB_COMPLETION_INDEX.hlog\"", "--timeseries \"/results/shard-$JOB_COMPLETION_INDEX.jsonl\""] {
            XCTAssertTrue(command.contains(flag), flag)
        }
        let env = try XCTUnwrap(try container(job)["env"] as? [[String: Any]])
        let token = try XCTUnwrap(env.first { $0["name"] as? String == "JWT_TOKEN" })
        XCTAssertNil(token["value"], "never inline")
        let reference = ((token["valueFrom"] as? [String: Any])?["secretKeyRef"] as? [String: Any])
        let secret = try manifest("secret.example.yaml")
        XCTAssertEqual(secret["kind"] as? String, "Secret")
        XCTAssertEqual(reference?["name"] as? String, (secret["metadata"] as? [String: Any])?["name"] as? String)
        XCTAssertEqual(Set(env.compactMap { $0["name"] as? String }), ["API_BASE_URL", "ASSISTANT_ID", "JWT_TOKEN"])
    }

    /// SPEC 21: each shard serves --metrics on the port its pod template declares and annotates for scraping.
    func testTheShardsAreScrapedOnTheirMetricsPort() throws {
        let job = try manifest("shards-job.yaml")
        let template = try XCTUnwrap((job["spec"] as? [String: Any])?["template"] as? [String: Any])
        let annotations = try XCTUnwrap((template["metadata"] as? [String: Any])?["annotations"] as? [String: Any])
        XCTAssertEqual(annotations["prometheus.io/scrape"] as? String, "true")
        let port = try XCTUnwrap(annotations["prometheus.io/port"] as? String)
        XCTAssertEqual(annotations["prometheus.io/path"] as? String, "/metrics")
        let ports = try XCTUnwrap(try container(job)["ports"] as? [[String: Any]])
        XCTAssertEqual(ports.first?["containerPort"] as? Int, Int(port))
        XCTAssertTrue(try script(job).contains("--metrics 0.0.0.0:\(port)"), "the listener binds the pod's port")
    }

    func testTheMergeJobReadsTheVolumeTheShardsWrite() throws {
        let shards = try manifest("shards-job.yaml"), merge = try manifest("merge-job.yaml")
        func claim(_ job: [String: Any]) throws -> String? {
            ((try podSpec(job)["volumes"] as? [[String: Any]])?.first?["persistentVolumeClaim"] as? [String: Any])?["claimName"] as? String
        }
        let volume = try manifest("results-volume.yaml")
        let name = (volume["metadata"] as? [String: Any])?["name"] as? String
        XCTAssertEqual(try claim(shards), name)
        XCTAssertEqual(try claim(merge), name)
        XCTAssertEqual(((volume["spec"] as? [String: Any])?["accessModes"] as? [String]), ["ReadWriteMany"])
        let mergeScript = try script(merge)
        XCTAssertTrue(mergeScript.contains("stress-test-db merge /results/shard-*.hlog"), mergeScript)
        let mounts = try [shards, merge].map { try container($0)["volumeMounts"] as? [[String: Any]] }
        XCTAssertEqual(mounts.map { $0?.first?["mountPath"] as? String }, ["/results", "/results"])
    }

    func testTheImageIsBuiltWithSwiftAndRunsOnSlimDebianWithLibcurl() throws {
        let dockerfile = try String(contentsOf: folder.appendingPathComponent("Dockerfile"), encoding: .utf8)
        let stages = dockerfile.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        XCTAssertEqual(stages.count, 2)
        XCTAssertTrue(stages[0].contains("swift:"), "\(stages)")
        XCTAssertTrue(stages[1].contains("debian:") && stages[1].contains("slim"), "\(stages)")
        XCTAssertTrue(dockerfile.contains("libcurl4 "), "the runtime's libcurl")
        XCTAssertTrue(dockerfile.contains("COPY --from=build"))
    }
}
