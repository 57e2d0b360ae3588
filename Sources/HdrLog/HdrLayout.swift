/// HdrHistogram's bucket layout: which counts-array index a value falls in and which values an index
/// stands for. The same arithmetic as the reference implementations (Java's `AbstractHistogram`), so
/// an index read from another tool's log means the same range of values here.
public struct HdrLayout: Equatable, Sendable {
    public let lowestDiscernibleValue: UInt64
    public let significantDigits: Int
    let unitMagnitude: Int
    let subBucketHalfCountMagnitude: Int
    let subBucketHalfCount: Int
    let leadingZeroCountBase: Int
    let subBucketMask: UInt64

    /// nil when the settings are outside what HdrHistogram allows (1–5 digits, a positive unit).
    public init?(lowestDiscernibleValue: UInt64 = 1, significantDigits: Int = 3) {
        guard lowestDiscernibleValue >= 1, (1...5).contains(significantDigits) else { return nil }
        self.lowestDiscernibleValue = lowestDiscernibleValue
        self.significantDigits = significantDigits
        var power: UInt64 = 1
        for _ in 0..<significantDigits { power *= 10 }
        let largestValueWithSingleUnitResolution = 2 * power
        unitMagnitude = 63 - lowestDiscernibleValue.leadingZeroBitCount
        let subBucketCountMagnitude = 64 - (largestValueWithSingleUnitResolution - 1).leadingZeroBitCount
        subBucketHalfCountMagnitude = max(subBucketCountMagnitude, 1) - 1
        subBucketHalfCount = 1 << subBucketHalfCountMagnitude
        guard unitMagnitude + subBucketHalfCountMagnitude <= 61 else { return nil }
        subBucketMask = UInt64(2 * subBucketHalfCount - 1) << UInt64(unitMagnitude)
        leadingZeroCountBase = 64 - unitMagnitude - subBucketHalfCountMagnitude - 1
    }

    public func index(of value: UInt64) -> Int {
        let bucket = leadingZeroCountBase - (value | subBucketMask).leadingZeroBitCount
        let subBucket = Int(value >> UInt64(bucket + unitMagnitude))
        return ((bucket + 1) << subBucketHalfCountMagnitude) + (subBucket - subBucketHalfCount)
    }

    /// The lowest value counted at `index`.
    public func lowestValue(at index: Int) -> UInt64 {
        var bucket = (index >> subBucketHalfCountMagnitude) - 1
        var subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount
        if bucket < 0 {
            subBucket -= subBucketHalfCount
            bucket = 0
        }
        return UInt64(subBucket) << UInt64(bucket + unitMagnitude)
    }

    /// The highest value counted at `index` (what HdrHistogram reports for a percentile in it).
    public func highestValue(at index: Int) -> UInt64 {
        let bucket = max(0, (index >> subBucketHalfCountMagnitude) - 1)
        return lowestValue(at: index) + (UInt64(1) << UInt64(unitMagnitude + bucket)) - 1
    }
}
