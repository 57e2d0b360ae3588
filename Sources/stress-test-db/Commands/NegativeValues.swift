/// `--timeout -1`: ArgumentParser reads `-1` as a flag of its own and answers "Missing value for
/// '--timeout'". Joined as `--timeout=-1`, the value reaches the option and its own check says what is
/// wrong ("--timeout takes seconds above 0 …"), the same for `--timeout -1` and `--timeout=-1`.
enum NegativeValues {
    /// Every `--name` followed by a negative number, joined into `--name=-N`.
    static func joined(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--"), !argument.contains("="), index + 1 < arguments.count,
               isNegativeNumber(arguments[index + 1]) {
                result.append(argument + "=" + arguments[index + 1])
                index += 2
            } else {
                result.append(argument)
                index += 1
            }
        }
        return result
    }

    /// `-1`, `-.5`, `-1e3`, and also `-inf` and `-nan` (numbers to Swift's `Double`), so that their
    /// flag's own range check answers them.
    static func isNegativeNumber(_ text: String) -> Bool {
        guard text.count > 1, text.first == "-", let second = text.dropFirst().first else { return false }
        return second.isNumber || second == "." || Double(text) != nil
    }
}
