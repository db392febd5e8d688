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
