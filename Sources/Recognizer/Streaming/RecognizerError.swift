/// A recognizer that cannot be built or a stream used wrongly.
public struct RecognizerError: Error, CustomStringConvertible {
    /// The file or object concerned.
    public let subject: String
    public let cause: String

    public init(subject: String, cause: String) {
        self.subject = subject
        self.cause = cause
    }

    public var description: String { "\(subject): \(cause)" }
}
