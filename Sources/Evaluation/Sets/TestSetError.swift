/// A whole set that cannot be read at all (as opposed to a `SetProblem` in one of its entries).
public struct TestSetError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
