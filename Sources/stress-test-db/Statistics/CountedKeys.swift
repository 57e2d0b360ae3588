/// Counts per key, remembering the order keys were first seen.
struct CountedKeys<Key: Hashable> {
    private(set) var order: [Key] = []
    private(set) var counts: [Key: Int] = [:]

    mutating func add(_ key: Key, count: Int = 1) {
        if let current = counts[key] {
            counts[key] = current + count
        } else {
            counts[key] = count
            order.append(key)
        }
    }

    subscript(key: Key) -> Int { counts[key] ?? 0 }
    var isEmpty: Bool { order.isEmpty }
    /// (key, count) in first-seen order.
    var entries: [(key: Key, count: Int)] { order.map { ($0, counts[$0]!) } }
    /// By count, descending; first-seen order breaks ties.
    var byCountDescending: [(key: Key, count: Int)] {
        entries.enumerated().sorted { a, b in
            a.element.count != b.element.count ? a.element.count > b.element.count : a.offset < b.offset
        }.map(\.element)
    }
    var mostCommon: Key? { byCountDescending.first?.key }
}
