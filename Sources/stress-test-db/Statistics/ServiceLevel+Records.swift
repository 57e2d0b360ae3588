/// Whether a record is *good* under the service level.
extension ServiceLevel {
    /// A successful request that meets every limit; a streaming limit with no value to judge is not met.
    func isMet(by record: ResponseRecord) -> Bool {
        guard record.success else { return false }
        return limits.allSatisfy { key, limit in
            let value: Double?
            switch key {
            case .e2e: value = record.latencyMilliseconds
            case .ttft: value = record.stream?.timeToFirstTokenMilliseconds
            case .tpot: value = record.timePerOutputTokenMilliseconds
            case .itl: value = record.stream?.interTokenMilliseconds
            }
            return value.map { $0 <= limit } ?? false
        }
    }
}
