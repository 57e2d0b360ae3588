/// SPEC 22's outages: stretches of the run in which no connection could be made, so that an error rate
/// made of a restart's refused attempts reads as what it is. A stretch is a run of `ConnectionRefused`
/// records (in completion order) with no record between them that got an answer's status line; it
/// starts at its first refused record and ends at its last (seconds since the run's start).
struct Outages {
    struct Outage: Equatable {
        var startSeconds: Double
        var endSeconds: Double
        var refusedAttempts: Int
        var seconds: Double { endSeconds - startSeconds }
    }

    private(set) var closed: [Outage] = []
    private var open: Outage?

    /// Every outage, the one still open at the end included.
    var all: [Outage] { closed + (open.map { [$0] } ?? []) }

    mutating func add(_ record: ResponseRecord, at seconds: Double) {
        if record.error == "ConnectionRefused" {
            if open == nil { open = Outage(startSeconds: seconds, endSeconds: seconds, refusedAttempts: 0) }
            open!.endSeconds = max(open!.endSeconds, seconds)
            open!.refusedAttempts += 1
        } else if record.statusCode > 0, let outage = open {
            // A connection was made: the outage is over.
            closed.append(outage)
            open = nil
        }
    }
}
