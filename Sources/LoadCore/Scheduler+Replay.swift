import HeapModule

/// `--replay` (SPEC 24): each VU plays one conversation at a time. A free VU takes the oldest
/// conversation that is due (over every loop, `ReplayStarts`) and sends its turn 1 scheduled at that
/// due time; when an answer arrives the next turn is due its gap after the previous turn was *due*:
/// it starts then, or at once if that time has passed (the wait shows as start lag, the replay's
/// schedule lag; latency counts from the due time). A failed turn or the last one ends the
/// conversation: its remaining turns are skipped (never sent, no record; `skippedTurns`), and the VU
/// is free for the next. Plain bookkeeping on the scheduler, tested without sockets.
struct ReplaySlots {
    struct Slot {
        var entry: Int
        /// The turn in flight or waiting to be due (0-based), and when it is (was) due.
        var turn: Int
        var due: UInt64
        /// The loop said the conversation ended with this turn (failed, or its last).
        var ended = false
    }

    var slots: [Slot?]
    /// Free VUs; the next one used is at the end.
    var free: [Int]
    /// Conversations whose next turn waits for its due time.
    var wakes = Heap<Thinkers.Wake>()
    var skippedTurns = 0

    init(virtualUsers: Int) {
        slots = [Slot?](repeating: nil, count: virtualUsers)
        free = Array((0..<virtualUsers).reversed())
    }
}

extension Scheduler {
    /// The conversation (its schedule entry) and turn (0-based) VU `user`'s request now starting is.
    public func replayRequest(of user: Int) -> (entry: Int, turn: Int)? {
        replaySlots?.slots[user].map { ($0.entry, $0.turn) }
    }

    /// Turns of conversations that ended early (a failed turn), never sent: this loop's count.
    public var skippedTurns: Int { replaySlots?.skippedTurns ?? 0 }

    var replaySchedule: ReplaySchedule? { share.replay?.schedule }

    /// Due next turns, then due conversations for the free VUs.
    mutating func replayDispatch(now: UInt64) -> [Action] {
        guard var slots = replaySlots, let starts = share.replay else { return [] }
        replaySlots = nil  // worked on as `slots` (no copy of its arrays), put back below
        var actions: [Action] = []
        if mayStart(now: now) {
            while let wake = slots.wakes.min, wake.at <= now {
                _ = slots.wakes.removeMin()
                actions.append(start(wake.user, scheduledAt: wake.at, now: now))
            }
            while let user = slots.free.last, let (entry, due) = starts.take(dueBy: now) {
                slots.free.removeLast()
                slots.slots[user] = ReplaySlots.Slot(entry: entry, turn: 0, due: due)
                actions.append(start(user, scheduledAt: due, now: now))
            }
        }
        replaySlots = slots
        return actions
    }

    /// VU `user`'s turn is over: its conversation's next turn is due, or the VU is free.
    mutating func replayAnswered(_ user: Int, now: UInt64) -> [Action] {
        guard let schedule = replaySchedule, var slot = replaySlots?.slots[user] else { return replayDispatch(now: now) }
        let turns = schedule.turnCount(slot.entry)
        guard !slot.ended, slot.turn + 1 < turns, mayStart(now: now) else {
            replayRelease(user)
            return replayDispatch(now: now)
        }
        slot.turn += 1
        slot.due += Self.nanoseconds(schedule.gap(slot.entry, turn: slot.turn))
        replaySlots?.slots[user] = slot
        replaySlots?.wakes.insert(Thinkers.Wake(at: slot.due, user: user))
        return replayDispatch(now: now)
    }

    /// VU `user`'s conversation is over: the turns it did not send are skipped, and the VU is free.
    mutating func replayRelease(_ user: Int) {
        guard let schedule = replaySchedule, let slot = replaySlots?.slots[user] else { return }
        replaySlots?.skippedTurns += schedule.turnCount(slot.entry) - slot.turn - 1
        replaySlots?.slots[user] = nil
        replaySlots?.free.append(user)
    }

    /// The loop saw VU `user`'s conversation end with the turn now finishing.
    mutating func replayEnded(_ user: Int) { replaySlots?.slots[user]?.ended = true }

    /// Nothing in flight, nothing waiting, and no conversation left to take (or the run is over).
    func replayIsFinished(at now: UInt64) -> Bool {
        guard inFlight == 0 else { return false }
        if stopping || !mayStart(now: now) { return true }
        return (replaySlots?.wakes.isEmpty ?? true) && (share.replay?.exhausted ?? true)
    }

    /// The next turn's due time, or (with a VU free) the next conversation's; never past the run's end.
    func replayNextDeadline(now: UInt64) -> UInt64? {
        guard let slots = replaySlots, mayStart(now: now) else { return nil }
        return [slots.wakes.min?.at, slots.free.isEmpty ? nil : share.replay?.nextDue, runDeadline].compactMap { $0 }.min()
    }
}
