/// SPEC 24: the run by turn number, wherever records carry a `turn` (`--turns`, `--replay`): turns
/// 1 to 6 each on their own, 7 and over together in the bucket `7+` (a long tail of long chats).
extension Statistics {
    /// The first turn counted in the last bucket.
    static let longTurn = 7

    /// A turn's bucket: the turn itself, or `longTurn` for it and every later one.
    static func turnBucket(_ turn: Int) -> Int { min(turn, longTurn) }

    /// `1`, `2`, …, `7+`: the bucket's key in `statistics.by_turn` and its label everywhere.
    static func turnLabel(_ bucket: Int) -> String { bucket >= longTurn ? "\(longTurn)+" : String(bucket) }

    /// A label read back (`merge`'s logs): its bucket, nil for anything else.
    static func turnBucket(label: String) -> Int? {
        if label == turnLabel(longTurn) { return longTurn }
        return Int(label).flatMap { (1..<longTurn).contains($0) ? $0 : nil }
    }

    /// The buckets in turn order, with their labels.
    var turns: [(bucket: Int, label: String, part: Part)] {
        byTurn.keys.sorted().map { ($0, Self.turnLabel($0), byTurn[$0]!) }
    }

    /// True when some record was a later turn of a conversation: the run held conversations.
    var hasLaterTurns: Bool { byTurn.keys.contains { $0 > 1 } }
}
