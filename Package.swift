// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "stress-test-db",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "stress-test-db", targets: ["stress-test-db"]),
        .executable(name: "lamb-sim", targets: ["lamb-sim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        // Tests only: reads the Kubernetes manifests.
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // The open-file limit, raised by both the load generator and the target server.
        .target(name: "ProcessLimits"),
        // What both transports stand on, no libcurl: the plan, scheduler, think time, load share, record
        // builder, result channel, SSE and JSON scanners, conversations, failure kinds, `LoadRunner`.
        .target(name: "LoadCore", dependencies: [.product(name: "HeapModule", package: "swift-collections")]),
        // The default runner: libcurl's multi interface on epoll event loops, the only module that imports CCurl.
        .target(name: "CurlEngine", dependencies: ["CCurl", "LoadCore", "ProcessLimits"]),
        // `--sync`: the same workload on URLSession, behind the same `LoadRunner` interface and record builder.
        .target(name: "URLSessionRunner", dependencies: ["LoadCore"]),
        // SPEC 21's /metrics, /series and live dashboard, on Hummingbird's threads.
        .target(name: "MetricsListener", dependencies: [.product(name: "Hummingbird", package: "hummingbird")]),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // HdrHistogram's interval log: the V2 compressed encoding and the text format, for --hdr and merge.
        .target(name: "HdrLog", dependencies: ["CZlib", .product(name: "Histogram", package: "hdrhistogram-swift")]),
        // `trace export`: a class's conversations read from LAMB's SQLite file, read-only (SPEC section 24).
        .target(name: "LambTrace", dependencies: [.product(name: "GRDB", package: "GRDB.swift"),
                                                 .product(name: "HeapModule", package: "swift-collections")]),
        .executableTarget(
            name: "stress-test-db",
            dependencies: [
                "LoadCore",
                "CurlEngine",
                "URLSessionRunner",
                "MetricsListener",
                "HdrLog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "DequeModule", package: "swift-collections"),
                "LambTrace",
            ]
        ),
        .executableTarget(
            name: "lamb-sim",
            dependencies: [
                "ProcessLimits",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Starts the real binaries and small raw listeners on loopback for the tests.
        .target(name: "TestSupport", dependencies: ["LoadCore", "CurlEngine"], path: "Tests/TestSupport"),
        .testTarget(name: "LoadCoreTests", dependencies: ["LoadCore"]),
        .testTarget(name: "CurlEngineTests", dependencies: ["CurlEngine", "LoadCore", "TestSupport"]),
        .testTarget(name: "StressTestDBTests", dependencies: ["stress-test-db", "LoadCore", "CurlEngine", "TestSupport", "LambTrace",
                                                            .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "HdrLogTests", dependencies: ["HdrLog", "TestSupport"]),
        .testTarget(name: "DeployTests", dependencies: ["TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(name: "LambSimTests", dependencies: ["lamb-sim", "LoadCore", "CurlEngine", "TestSupport"]),
    ]
)
