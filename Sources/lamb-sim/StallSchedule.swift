/// `--stall-every S --stall-for D`: the whole server pauses for D seconds at the end of every S-second
/// period (from S−D to S, 2S−D to 2S, ...). A request that arrives during a pause is held until it
/// ends, so a client that waits politely under-samples the pause and one that corrects for
/// coordinated omission sees it.
struct StallSchedule: Sendable, Equatable {
    var everySeconds: Double
    var forSeconds: Double

    /// Seconds until the pause in force `elapsed` seconds after the start ends; 0 outside a pause.
    func remainingPause(at elapsed: Double) -> Double {
        guard everySeconds > 0, forSeconds > 0 else { return 0 }
        let phase = elapsed.truncatingRemainder(dividingBy: everySeconds)
        let pauseStart = everySeconds - forSeconds
        return phase >= pauseStart ? everySeconds - phase : 0
    }
}
