/// The tool's version: `--version`, and the `stress_test_db_info` metric.
enum ToolVersion {
    static let current = "2.4.0"
}
