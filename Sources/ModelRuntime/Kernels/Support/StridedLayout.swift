/// Walks an output shape and, for several operands, the element offset of each position.
///
/// Dimensions are coalesced where every operand is contiguous across them; the last remaining
/// dimension is the inner loop (its per-operand stride in `innerStrides`), and the offsets of every
/// outer position are tabulated at load so the run loop does no index arithmetic.
struct StridedLayout {
    let innerCount: Int
    let innerStrides: [Int]
    /// `outerOffsets[operand][position]`.
    let outerOffsets: [[Int]]
    var outerCount: Int { outerOffsets.first?.count ?? 1 }

    /// A dimension after coalescing: its size and one stride per operand.
    typealias Dimension = (size: Int, strides: [Int])

    /// `strides[operand]` has one stride (in elements) per dimension of `shape`; 0 broadcasts.
    init(shape: [Int], strides: [[Int]]) {
        let merged = Self.coalesced(shape: shape, strides: strides)
        let operandCount = strides.count
        guard let inner = merged.last else {
            innerCount = shape.contains(0) ? 0 : 1
            innerStrides = [Int](repeating: 0, count: operandCount)
            outerOffsets = [[Int]](repeating: [0], count: operandCount)
            return
        }
        innerCount = inner.size
        innerStrides = inner.strides
        outerOffsets = Self.offsets(of: merged.dropLast(), operandCount: operandCount)
    }

    /// `shape`'s dimensions without those of size 1, neighbours contiguous for every operand merged.
    static func coalesced(shape: [Int], strides: [[Int]]) -> [Dimension] {
        var merged: [Dimension] = []
        for axis in shape.indices where shape[axis] != 1 {
            let dim: Dimension = (shape[axis], strides.map { $0[axis] })
            if let last = merged.last,
               zip(last.strides, dim.strides).allSatisfy({ $0 == $1 * dim.size }) {
                merged[merged.count - 1] = (last.size * dim.size, dim.strides)
            } else {
                merged.append(dim)
            }
        }
        return merged
    }

    /// Every position of `dimensions` (the first outermost) as an element offset per operand:
    /// `[operand][position]`.
    static func offsets(of dimensions: some BidirectionalCollection<Dimension>, operandCount: Int) -> [[Int]] {
        var offsets = [[Int]](repeating: [0], count: operandCount)
        for dim in dimensions.reversed() {
            // Prepend this dimension: every existing entry repeats for each index along it.
            for operand in 0..<operandCount {
                let previous = offsets[operand]
                var next: [Int] = []
                next.reserveCapacity(previous.count * dim.size)
                for index in 0..<dim.size {
                    let base = index * dim.strides[operand]
                    for offset in previous { next.append(base + offset) }
                }
                offsets[operand] = next
            }
        }
        return offsets
    }
}

/// The shape two or more shapes broadcast to (numpy rules), or nil if they are incompatible.
func broadcastShape(_ shapes: [[Int]]) -> [Int]? {
    let rank = shapes.map(\.count).max() ?? 0
    var result = [Int](repeating: 1, count: rank)
    for shape in shapes {
        let offset = rank - shape.count
        for (axis, size) in shape.enumerated() {
            let current = result[offset + axis]
            if current == 1 { result[offset + axis] = size } else if size != 1 && size != current { return nil }
        }
    }
    return result
}

/// Element strides that read `shape` (right-aligned) as if it had `target`'s shape; 0 where broadcast.
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let offset = target.count - shape.count
    return target.indices.map { axis in
        let source = axis - offset
        if source < 0 || shape[source] == 1 { return 0 }
        return own[source]
    }
}
