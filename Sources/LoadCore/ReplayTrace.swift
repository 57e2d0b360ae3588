import Foundation

/// A trace to replay (`--replay FILE`, SPEC 24), read into conversations: our trace file (`trace
/// export`: a header with its version, then one line a request) or AIPerf's (`{"timestamp": MS,
/// "input_length": WORDS, "output_length": TOKENS}` lines, each a conversation of one turn whose prompt
/// is that many words of synthetic text). A plain value: `ReplaySchedule` makes the run's schedule of it.
public struct ReplayTrace: Sendable, Equatable {
    public enum Format: String, Sendable, Equatable {
        case stressTestDB = "stress-test-db"
        case aiperf
    }

    /// One user turn: the file's line (1-based, the header is line 1), its offset from the trace's start
    /// and its gap from the conversation's previous turn (seconds), and the prompt sent.
    public struct Turn: Sendable, Equatable {
        public var line: Int
        public var offset: Double
        public var gap: Double
        public var prompt: String

        public init(line: Int, offset: Double, gap: Double, prompt: String) {
            self.line = line
            self.offset = offset
            self.gap = gap
            self.prompt = prompt
        }
    }

    /// A conversation's turns in order; `key` is the trace's name for it.
    public struct Conversation: Sendable, Equatable {
        public var key: String
        public var turns: [Turn]

        public init(key: String, turns: [Turn]) {
            self.key = key
            self.turns = turns
        }

        /// When its first turn starts, seconds from the trace's start.
        public var offset: Double { turns.first?.offset ?? 0 }
    }

    public var format: Format
    /// In the order of their first turn's offset (then of the file).
    public var conversations: [Conversation]

    public init(format: Format, conversations: [Conversation]) {
        self.format = format
        self.conversations = conversations.enumerated()
            .sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
    }

    public var requests: Int { conversations.reduce(0) { $0 + $1.turns.count } }

    /// The most characters (or AIPerf words) one prompt may ask for: a hostile file cannot make the run
    /// build gigabytes of text.
    public static let maximumPromptLength = 1_000_000
    /// The trace file versions this build reads.
    public static let versions = [1]
}

/// A trace file that cannot be replayed: one sentence naming the line and what is wrong with it.
public struct ReplayTraceError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Text of a given length that means nothing: an anonymised prompt (`prompt_chars`) or an AIPerf
/// prompt (`input_length` words). The same words every time, so runs repeat.
public enum SyntheticText {
    static let vocabulary = ["please", "explain", "the", "idea", "behind", "this", "course", "topic", "with", "an",
                             "example", "and", "how", "it", "relates", "to", "our", "last", "lecture", "exercise"]

    /// `count` words separated by single spaces.
    public static func words(_ count: Int) -> String {
        (0..<max(0, count)).map { vocabulary[$0 % vocabulary.count] }.joined(separator: " ")
    }

    /// Exactly `count` characters (ASCII, so scalars and bytes alike).
    public static func characters(_ count: Int) -> String {
        guard count > 0 else { return "" }
        var text = ""
        var index = 0
        while text.count < count {
            if !text.isEmpty { text += " " }
            text += vocabulary[index % vocabulary.count]
            index += 1
        }
        return String(text.prefix(count))
    }
}

/// A JSON string literal of `text` (quotes, backslash and control characters escaped), as bytes.
func jsonStringLiteral(_ text: String) -> [UInt8] {
    var out: [UInt8] = [UInt8(ascii: "\"")]
    out.reserveCapacity(text.utf8.count + 2)
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case UInt8(ascii: "\r"): out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case UInt8(ascii: "\t"): out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
        default: out.append(byte)
        }
    }
    out.append(UInt8(ascii: "\""))
    return out
}
