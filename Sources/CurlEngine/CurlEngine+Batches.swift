import CCurl
import LoadCore

extension CurlEngine.EventLoop {
    // Records leave the loop in batches, and come back to it (see `RecordBatch`).

    func flushIfDue(now: UInt64) {
        guard !batch.results.isEmpty else { return }
        if batchSince == nil { batchSince = now }
        if batch.results.count >= Self.flushCount || now >= batchSince! + Self.flushInterval { flush() }
    }

    func flush() {
        batchSince = nil
        guard !batch.results.isEmpty else { return }
        publishCounters()
        engine.results.push(batch)
        batch = reclaim() ?? RecordBatch(producer: index)
    }

    /// This loop's counters, for the gauges: with each batch, and when VUs wake from a pause (which
    /// starts requests without a record to hand over).
    func publishCounters() {
        let counters = CurlEngine.LoopCounters(requestsStarted: scheduler.started, connectionsOpened: connectionsOpened,
                                               firstScheduledAt: scheduler.firstScheduledAt, lastStartAt: scheduler.lastStartAt,
                                               thinking: scheduler.thinking)
        engine.counterState.withLock { $0[index] = counters }
    }

    /// A batch the consumer gave back, emptied here, on the thread that allocated what its records
    /// hold: their body buffers go to `spareBodies` for the next records, the rest is freed.
    private func reclaim() -> RecordBatch? {
        guard let batch = engine.results.takeReturned(producer: index) else { return nil }
        for slot in batch.results.indices {
            var body: [UInt8] = []
            swap(&body, &batch.results[slot].body)
            guard body.capacity > 0, body.capacity <= CurlEngine.VirtualUser.keptCapacity, spareBodies.count < users.count else { continue }
            body.removeAll(keepingCapacity: true)
            spareBodies.append(body)
        }
        batch.results.removeAll(keepingCapacity: true)
        return batch
    }
}
