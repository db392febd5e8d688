/// Element type and concrete shape of a value; every shape is known after specialization.
public struct TensorType: Equatable, Sendable, CustomStringConvertible {
    public var element: ElementType
    public var shape: [Int]

    public init(_ element: ElementType, _ shape: [Int]) {
        self.element = element
        self.shape = shape
    }

    public var count: Int { shape.reduce(1, *) }
    public var byteCount: Int { count * element.byteSize }
    public var rank: Int { shape.count }

    public var description: String { "\(element)\(shape)" }

    /// The largest value the runtime plans (bytes): shapes computed from a model's own numbers
    /// (Reshape, Expand, Tile, Range, ConstantOfShape) are checked against it before anything is
    /// allocated, so a corrupt model fails to load instead of exhausting memory.
    static let maximumByteCount = 1 << 30

    /// The element count of `shape`, or nil when a dimension is negative or the count overflows.
    static func checkedCount(_ shape: [Int]) -> Int? {
        var count = 1
        for size in shape {
            guard size >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// Whether the shape is valid and the value fits in `maximumByteCount`.
    var isPlannable: Bool {
        guard let count = Self.checkedCount(shape) else { return false }
        return count <= Self.maximumByteCount / max(element.byteSize, 1)
    }
}

/// Row-major strides of a shape, in elements.
func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}
