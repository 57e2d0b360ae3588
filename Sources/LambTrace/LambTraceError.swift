/// Why LAMB's database cannot be exported: a sentence for the user that says what to do.
public struct LambTraceError: Error, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
