import Foundation
import TestSupport
import XCTest

/// deploy/kubernetes against the Kubernetes API's own schemas (`kubernetes-validate --strict`, from
/// PyPI, offline), for the version docs/distributed.md names; and the check itself catches a field
/// Kubernetes does not know.
final class KubernetesValidateTests: XCTestCase {
    static let version = "1.30.0"
    let folder = fixture("").deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("deploy/kubernetes")

    func validate(_ files: [String]) throws -> ProcessOutput {
        try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                       ["python3", "-m", "kubernetes_validate", "--strict", "-k", Self.version] + files, inheritEnvironment: true)
    }

    func testTheManifestsPassStrictValidation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(files.count, 4)
        let output = try validate(files.map { folder.appendingPathComponent($0).path })
        XCTAssertEqual(output.status, 0, "kubernetes-validate is installed by scripts/test: \(output.all)")
        XCTAssertEqual(output.all.components(separatedBy: " passed for resource ").count - 1, files.count, output.all)
    }

    func testAnUnknownFieldFails() throws {
        let bad = makeTemporaryFolder("k8s").appendingPathComponent("bad.yaml")
        try """
            apiVersion: batch/v1
            kind: Job
            metadata: {name: x}
            spec:
              completionz: 4
              template: {spec: {restartPolicy: Never, containers: [{name: a, image: b}]}}
            """.write(to: bad, atomically: true, encoding: .utf8)
        let output = try validate([bad.path])
        XCTAssertNotEqual(output.status, 0, output.all)
        XCTAssertTrue(output.all.contains("completionz"), output.all)
    }
}
