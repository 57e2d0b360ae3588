/// The run a trace makes (`--replay`, SPEC 24), as plain numbers: which conversations are played,
/// each one's first turn due `offset / speed` seconds after the start (a copy's shifted offset), and
/// each later turn's gap `gap / speed` after the previous turn was due. Whether a turn may go (its
/// previous answer has arrived) is the scheduler's business; this says when it is due.
///
/// `--scale N`: copies 0 ..< ⌊N⌋ of every conversation, then (for a fraction f) a seeded sample of
/// round(f × count) conversations as copy ⌊N⌋. Copy 0 keeps the trace's times; copy c ≥ 1 is shifted
/// by a seeded uniform offset in [0, 60 s) of trace time (so ÷ speed as well). `--shard I/N` keeps
/// the conversations whose place in the whole schedule is I mod N: a conversation is never split.
public struct ReplaySchedule: Sendable, Equatable {
    /// A trace conversation's turns, prepared once for all its copies.
    public struct Base: Sendable, Equatable {
        public var key: String
        public var offset: Double
        public var lines: [Int]
        /// The trace's gaps, seconds (turn 1's is 0).
        public var gaps: [Double]
        /// Each turn's user message as a JSON array member: `{"role": "user", "content": "..."}`.
        public var userMessages: [[UInt8]]
    }

    /// One conversation of the run: a copy of a base, due `start` seconds after the run's start.
    public struct Entry: Sendable, Equatable {
        public var base: Int
        public var copy: Int
        public var start: Double
    }

    public static let shiftWindow = 60.0

    public let bases: [Base]
    /// In due order (then base, then copy).
    public let entries: [Entry]
    public let speed: Double
    public let scale: Double

    public init(trace: ReplayTrace, speed: Double, scale: Double, seed: UInt64, shard: (index: Int, count: Int)? = nil) {
        self.speed = speed
        self.scale = scale
        bases = trace.conversations.map { conversation in
            Base(key: conversation.key, offset: conversation.offset, lines: conversation.turns.map(\.line),
                 gaps: conversation.turns.enumerated().map { $0.offset == 0 ? 0 : $0.element.gap },
                 userMessages: conversation.turns.map {
                     Array(#"{"role": "user", "content": "#.utf8) + jsonStringLiteral($0.prompt) + [UInt8(ascii: "}")]
                 })
        }
        var all = Self.entries(bases: bases, speed: speed, scale: scale, seed: seed)
        all.sort { ($0.start, $0.base, $0.copy) < ($1.start, $1.base, $1.copy) }
        if let shard, shard.count > 1 {
            all = all.enumerated().filter { $0.offset % shard.count == shard.index }.map(\.element)
        }
        entries = all
    }

    private static func entries(bases: [Base], speed: Double, scale: Double, seed: UInt64) -> [Entry] {
        var random = SplitMix64(seed: seed)
        let whole = Int(scale.rounded(.down))
        let sampled = Int(((scale - Double(whole)) * Double(bases.count)).rounded())
        var entries: [Entry] = []
        for copy in 0..<(whole + (sampled > 0 ? 1 : 0)) {
            let shift = copy == 0 ? 0 : random.nextUnitInterval() * shiftWindow
            let members = copy < whole ? Array(bases.indices) : sample(sampled, of: bases.count, random: &random)
            entries += members.map { Entry(base: $0, copy: copy, start: (bases[$0].offset + shift) / speed) }
        }
        return entries
    }

    /// `count` of `0 ..< total`, drawn without replacement (a partial Fisher–Yates), in ascending order.
    static func sample(_ count: Int, of total: Int, random: inout SplitMix64) -> [Int] {
        var indices = Array(0..<total)
        for i in 0..<min(count, total) {
            let j = i + Int(random.next() % UInt64(total - i))
            indices.swapAt(i, j)
        }
        return indices.prefix(count).sorted()
    }

    // MARK: What the scheduler and the engine read

    public var conversations: Int { entries.count }
    public var requests: Int { entries.reduce(0) { $0 + bases[$1.base].lines.count } }
    /// The most turns of one conversation.
    public var longestConversation: Int { bases.map(\.lines.count).max() ?? 1 }

    public func turnCount(_ entry: Int) -> Int { bases[entries[entry].base].lines.count }
    /// Seconds after the run's start that the entry's first turn is due.
    public func start(_ entry: Int) -> Double { entries[entry].start }
    /// Seconds after turn `turn − 1` was due that turn `turn` (0-based) is due.
    public func gap(_ entry: Int, turn: Int) -> Double { bases[entries[entry].base].gaps[turn] / speed }
    public func line(_ entry: Int, turn: Int) -> Int { bases[entries[entry].base].lines[turn] }
    public func userMessage(_ entry: Int, turn: Int) -> [UInt8] { bases[entries[entry].base].userMessages[turn] }

    /// The records' `conversation`: the trace's key, with `.c` for copy c ≥ 1.
    public func name(_ entry: Int) -> String {
        let item = entries[entry]
        return item.copy == 0 ? bases[item.base].key : "\(bases[item.base].key).\(item.copy)"
    }

    /// The conversations open at once at the busiest moment, each counted from its first turn's due time
    /// to its last turn's plus `answerSeconds` (for the last answer): the default number of VUs.
    public func peakConcurrency(answerSeconds: Double = 10) -> Int {
        var events: [(time: Double, change: Int)] = []
        for (index, entry) in entries.enumerated() {
            let last = entry.start + (1..<max(1, turnCount(index))).reduce(0.0) { $0 + gap(index, turn: $1) }
            events += [(entry.start, 1), (last + answerSeconds, -1)]
        }
        events.sort { ($0.time, $0.change) < ($1.time, $1.change) }
        var open = 0, peak = 0
        for event in events {
            open += event.change
            peak = max(peak, open)
        }
        return peak
    }
}
