/// Edit counts of one alignment or a sum of them; the error rate is (S + D + I) / reference length.
public struct ErrorCounts: Hashable, Sendable, Codable {
    public var referenceLength: Int
    public var substitutions: Int
    public var deletions: Int
    public var insertions: Int

    public init(referenceLength: Int = 0, substitutions: Int = 0, deletions: Int = 0, insertions: Int = 0) {
        self.referenceLength = referenceLength
        self.substitutions = substitutions
        self.deletions = deletions
        self.insertions = insertions
    }

    public var errors: Int { substitutions + deletions + insertions }

    /// Errors per reference token as a fraction; 0 for an empty reference with no insertions.
    public var rate: Double {
        referenceLength > 0 ? Double(errors) / Double(referenceLength) : (errors > 0 ? .infinity : 0)
    }

    public static func + (lhs: ErrorCounts, rhs: ErrorCounts) -> ErrorCounts {
        ErrorCounts(referenceLength: lhs.referenceLength + rhs.referenceLength,
                    substitutions: lhs.substitutions + rhs.substitutions,
                    deletions: lhs.deletions + rhs.deletions,
                    insertions: lhs.insertions + rhs.insertions)
    }
}
