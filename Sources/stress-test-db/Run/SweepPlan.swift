import ArgumentParser

/// SPEC section 14's levels and the bisection between the last passing and the first failing one.
enum SweepPlan {
    /// `10,20,50` as given, or `10..400`: doubling from 10 while at most 400.
    static func levels(_ text: String, flag: String, whole: Bool) throws -> [Double] {
        func fail(_ why: String) -> ValidationError {
            ValidationError("\(flag) \(text): \(why). Give a list like 10,20,50 or a doubling range like 10..400.")
        }
        let levels: [Double]
        let bounds = whole ? Bounds.sweepVUs : Bounds.sweepRate
        if let range = text.range(of: "..") {
            guard let low = Double(text[..<range.lowerBound]), let high = Double(text[range.upperBound...]) else {
                throw fail("the range's ends are not numbers")
            }
            guard low > 0, high >= low, high.isFinite else { throw fail("the range must go up from a positive start") }
            try bounds.check(low, in: text)
            try bounds.check(high, in: text)
            var list: [Double] = []
            var level = low
            while level <= high {
                list.append(level)
                level *= 2
            }
            levels = list
        } else {
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw fail("every level must be a number") }
            levels = parts.map { $0! }
            guard levels.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw fail("every level must be positive") }
            for level in levels { try bounds.check(level, in: text) }
            guard zip(levels, levels.dropFirst()).allSatisfy({ $0 < $1 }) else { throw fail("the levels must rise") }
        }
        if whole && !levels.allSatisfy({ $0 == $0.rounded() }) { throw fail("VUs are whole numbers") }
        return levels
    }

    /// The level halfway between a passing and a failing one, or nil when there is none left between
    /// them (whole VUs; rates to a hundredth).
    static func midpoint(passing: Double, failing: Double, whole: Bool) -> Double? {
        let middle = whole ? ((passing + failing) / 2).rounded(.down) : (((passing + failing) / 2) * 100).rounded() / 100
        return middle > passing && middle < failing ? middle : nil
    }
}
