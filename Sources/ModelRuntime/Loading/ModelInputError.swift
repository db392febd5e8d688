/// A buffer handed to a compiled graph at run time has the wrong size.
public struct ModelInputError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let name: String
    public let expected: Int
    public let actual: Int

    public init(path: String, name: String, expected: Int, actual: Int) {
        self.path = path
        self.name = name
        self.expected = expected
        self.actual = actual
    }

    public var description: String {
        "\(path): input '\(name)' needs \(expected) values, got \(actual)"
    }
}
