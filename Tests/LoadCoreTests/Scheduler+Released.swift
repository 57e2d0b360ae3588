@testable import LoadCore

extension Scheduler {
    /// Open model: arrivals taken by the loops so far (the tests' view of the shared feed).
    var released: Int { share.arrivalsTaken }
}
