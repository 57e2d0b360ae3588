/// The CLI's errors are of two kinds, each a sentence for the user that says what to do:
/// `ConfigurationError` before any load is sent (flags, environment, login, unwritable paths: exit 1,
/// or ArgumentParser's usage error), and `FileError` for a file that cannot be read, parsed or written
/// (an input of `report`, `merge` or `compare`, an output at the end of a run).
struct FileError: Error, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
