import Foundation

/// "50" → 50...50; "20-80" → 20...80.
func parseLatency(_ text: String) -> ClosedRange<Double>? {
    let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
    let low = parts[0]!, high = parts.count > 1 ? parts[1]! : parts[0]!
    return low <= high ? low...high : nil
}
