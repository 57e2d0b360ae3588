import LoadCore

extension ResultChannel {
    /// Every record until the channel closes, each batch handed back once copied (the tests).
    public func collectAll() -> [RequestResult] {
        var all: [RequestResult] = []
        var drained: [RecordBatch] = []
        while next(timeout: nil, into: &drained) != .closed {
            for batch in drained { all += batch.results }
            giveBack(&drained)
        }
        return all
    }
}
