/// Server-Sent Events read as the bytes arrive, on the loop thread, each event stamped with the
/// arrival time of the write that completed it. Only what the measures need is kept: counters, the
/// first and last content times, the gaps between content chunks, `usage.completion_tokens`, an
/// `error`, and whether `data: [DONE]` came. The body itself is not kept here (`BodySink` keeps the
/// capture cap's worth for `response_text`).
public struct SSEScanner: Sendable {
    private(set) var events = 0
    private(set) var contentChunks = 0
    private(set) var firstContentAt: UInt64?
    private(set) var lastContentAt: UInt64?
    /// Milliseconds between consecutive content chunks.
    private(set) var gapsMilliseconds: [Float] = []
    private(set) var usageCompletionTokens: Int?
    private(set) var sawDone = false
    /// The message of the first event whose JSON had a non-null top-level `error`.
    private(set) var errorMessage: String?
    /// `--turns` with `--stream`: the content deltas' string literals without their quotes, joined
    /// (escapes stay as sent, so quoting it again gives the whole answer as one JSON string).
    private(set) var content: [UInt8]?

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    /// The last byte fed was a CR: a LF right after it ends nothing more (CRLF).
    private var afterCR = false

    /// Buffers kept between events; a larger one (a 1 MiB event) is let go afterwards.
    private static let keptCapacity = 64 << 10

    public init(keepingContent: Bool = false) {
        if keepingContent { content = [] }
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer, at now: UInt64) {
        var start = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                if byte == 0x0A && afterCR && index == start && line.isEmpty {
                    // The LF of a CRLF whose CR ended the line already.
                    afterCR = false
                    index += 1
                    start = index
                    continue
                }
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                endLine(at: now)
                afterCR = byte == 0x0D
                index += 1
                start = index
            } else {
                afterCR = false
                index += 1
            }
        }
        if start < count { line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<count])) }
    }

    private mutating func endLine(at now: UInt64) {
        defer { line.removeAll(keepingCapacity: line.capacity <= Self.keptCapacity) }
        if line.isEmpty {
            if hasData { dispatch(at: now) }
            return
        }
        // `data:` (a comment starts with `:`; other fields are not needed).
        guard line.count >= 5, line[0] == 0x64, line[1] == 0x61, line[2] == 0x74, line[3] == 0x61, line[4] == 0x3A else { return }
        let valueStart = line.count > 5 && line[5] == 0x20 ? 6 : 5
        if hasData { data.append(0x0A) }
        data.append(contentsOf: line[valueStart...])
        hasData = true
    }

    private mutating func dispatch(at now: UInt64) {
        events += 1
        defer {
            data.removeAll(keepingCapacity: data.capacity <= Self.keptCapacity)
            hasData = false
        }
        if data.count == 6, data.elementsEqual("[DONE]".utf8) {
            sawDone = true
            return
        }
        data.withUnsafeBytes { raw in
            let json = JSONSlice(bytes: raw)
            let (error, usage, choices) = json.members("error", "usage", "choices", inObjectAt: 0)
            if errorMessage == nil, let error, !json.isNull(error) {
                errorMessage = json.member("message", inObjectAt: error.lowerBound).map(json.text) ?? json.text(error)
            }
            if let usage, let tokens = json.member("completion_tokens", inObjectAt: usage.lowerBound).flatMap(json.integer) {
                usageCompletionTokens = tokens
            }
            if let choices,
               let first = json.firstElement(ofArrayAt: choices.lowerBound),
               let delta = json.member("delta", inObjectAt: first.lowerBound),
               let content = json.member("content", inObjectAt: delta.lowerBound), json.isNonEmptyString(content) {
                if let last = lastContentAt { gapsMilliseconds.append(Float(Double(now &- last) / 1e6)) }
                if firstContentAt == nil { firstContentAt = now }
                lastContentAt = now
                contentChunks += 1
                if self.content != nil { self.content! += raw[(content.lowerBound + 1)..<(content.upperBound - 1)] }
            }
        }
    }

    /// What the record carries, with times measured from `start` (the request's scheduled time).
    public func summary(from start: UInt64) -> StreamSummary {
        StreamSummary(
            events: events, contentChunks: contentChunks,
            timeToFirstTokenMilliseconds: firstContentAt.map { Double($0 &- start) / 1e6 },
            gapsMilliseconds: gapsMilliseconds, usageCompletionTokens: usageCompletionTokens,
            sawDone: sawDone, errorMessage: errorMessage)
    }
}

/// A streamed response, as the engine saw it arrive.
public struct StreamSummary: Sendable, Equatable {
    public var events: Int
    public var contentChunks: Int
    /// Request start (scheduled) to the first content chunk.
    public var timeToFirstTokenMilliseconds: Double?
    /// Between consecutive content chunks.
    public var gapsMilliseconds: [Float]
    public var usageCompletionTokens: Int?
    public var sawDone: Bool
    public var errorMessage: String?

    public init(events: Int = 0, contentChunks: Int = 0, timeToFirstTokenMilliseconds: Double? = nil,
                gapsMilliseconds: [Float] = [], usageCompletionTokens: Int? = nil, sawDone: Bool = false,
                errorMessage: String? = nil) {
        self.events = events
        self.contentChunks = contentChunks
        self.timeToFirstTokenMilliseconds = timeToFirstTokenMilliseconds
        self.gapsMilliseconds = gapsMilliseconds
        self.usageCompletionTokens = usageCompletionTokens
        self.sawDone = sawDone
        self.errorMessage = errorMessage
    }

    /// Mean gap between content chunks.
    public var interTokenMilliseconds: Double? {
        gapsMilliseconds.isEmpty ? nil : gapsMilliseconds.reduce(0) { $0 + Double($1) } / Double(gapsMilliseconds.count)
    }
}
