import ArgumentParser

/// `--replay FILE [--speed X] [--scale N]` (SPEC 24): the flags of a replayed class, in their own group.
struct ReplayOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Replay a trace (`trace export`'s file, or AIPerf's JSON Lines): each conversation's turns at their recorded times, each after the previous answer (no --vus, --requests, --rate needed).", valueName: "FILE"))
    var replay: String?
    @Option(help: ArgumentHelp("With --replay: play the trace this many times faster (2: in half the time). (default: 1)", valueName: "X"), transform: { try ReplayOptions.speedBounds.number($0) })
    var speed: Double = 1
    @Option(help: ArgumentHelp("With --replay: this many copies of the class, each shifted by a seeded offset within a minute; 1.5 adds a seeded half. (default: 1)", valueName: "N"), transform: { try ReplayOptions.scaleBounds.number($0) })
    var scale: Double = 1

    static let speedBounds = Bounds("--speed", "times the trace's pace", above: 0, to: 10_000)
    static let scaleBounds = Bounds("--scale", "copies of the trace", above: 0, to: 1_000)

    func validate() throws {
        guard replay == nil else { return }
        if speed != 1 || scale != 1 { throw ValidationError("--speed and --scale shape a replay; give --replay FILE.") }
    }
}
