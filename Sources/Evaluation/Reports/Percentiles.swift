/// Nearest-rank percentiles of a sample (no interpolation: every value reported was measured).
public struct Percentiles: Sendable {
    private let sorted: [Double]

    public init(_ values: [Double]) {
        sorted = values.sorted()
    }

    public var isEmpty: Bool { sorted.isEmpty }

    /// The smallest value with at least `percent` % of the sample at or below it; 0 for an empty sample.
    public func value(at percent: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((percent / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    public var maximum: Double { sorted.last ?? 0 }
}
