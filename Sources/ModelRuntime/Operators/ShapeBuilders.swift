/// Operators that only change how bytes are viewed, or that produce constants from shapes.
/// They never run: the compiler aliases their output to their input or stores a constant.
enum ShapeBuilders {
    static func reshape(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let requested = try context.constant(1).integers()
        let allowZero = context.node.int("allowzero", default: 0) != 0
        var shape = requested.enumerated().map { axis, size in
            (size == 0 && !allowZero && axis < input.rank) ? input.shape[axis] : size
        }
        if let inferred = shape.firstIndex(of: -1) {
            let others = shape.enumerated().filter { $0.offset != inferred }.map(\.element)
            guard let known = TensorType.checkedCount(others), known > 0, input.count % known == 0 else {
                throw context.failure("cannot reshape \(input.shape) to \(requested)")
            }
            shape[inferred] = input.count / known
        }
        guard TensorType.checkedCount(shape) == input.count else {
            throw context.failure("cannot reshape \(input.shape) to \(requested)")
        }
        return .alias(TensorType(input.element, shape))
    }

    private static func axes(_ context: NodeContext) throws -> [Int]? {
        if context.has(1) { return try context.constant(1).integers() }
        return context.node.ints("axes")
    }

    static func squeeze(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let removed: Set<Int>
        if let axes = try axes(context) {
            removed = Set(try axes.map { try context.axis($0, rank: input.rank) })
            guard removed.allSatisfy({ input.shape[$0] == 1 }) else { throw context.failure("squeezes a dimension that is not 1") }
        } else {
            removed = Set(input.shape.indices.filter { input.shape[$0] == 1 })
        }
        return .alias(TensorType(input.element, input.shape.indices.filter { !removed.contains($0) }.map { input.shape[$0] }))
    }

    static func unsqueeze(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        guard let axes = try axes(context) else { throw context.failure("no axes") }
        let rank = input.rank + axes.count
        let inserted = Set(try axes.map { try context.axis($0, rank: rank) })
        var shape: [Int] = []
        var source = input.shape.makeIterator()
        for axis in 0..<rank { shape.append(inserted.contains(axis) ? 1 : (source.next() ?? 1)) }
        return .alias(TensorType(input.element, shape))
    }

    static func flatten(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let axis = try context.axis(context.node.int("axis", default: 1), rank: input.rank + 1)
        return .alias(TensorType(input.element, [input.shape[..<axis].reduce(1, *), input.shape[axis...].reduce(1, *)]))
    }

    static func identity(_ context: NodeContext) throws -> KernelPlan {
        .alias(try context.input(0).type)
    }

    static func constant(_ context: NodeContext) throws -> KernelPlan {
        if case .tensor(let tensor)? = context.node.attributes["value"] { return .constant(tensor) }
        if case .float(let value)? = context.node.attributes["value_float"] {
            let tensor = Tensor(type: TensorType(.float32, []))
            tensor.pointer.storeBytes(of: value, as: Float.self)
            return .constant(tensor)
        }
        if case .int(let value)? = context.node.attributes["value_int"] {
            let tensor = Tensor(type: TensorType(.int64, []))
            tensor.pointer.storeBytes(of: Int64(value), as: Int64.self)
            return .constant(tensor)
        }
        if case .ints(let values)? = context.node.attributes["value_ints"] {
            return .constant(int64Tensor(values))
        }
        throw context.failure("unsupported constant attribute")
    }

    static func shape(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let rank = input.rank
        var start = context.node.int("start", default: 0), end = context.node.int("end", default: rank)
        if start < 0 { start += rank }
        if end < 0 { end += rank }
        start = min(max(start, 0), rank)
        end = min(max(end, start), rank)
        return .constant(int64Tensor(Array(input.shape[start..<end])))
    }

    static func constantOfShape(_ context: NodeContext) throws -> KernelPlan {
        let shape = try context.constant(0).integers()
        var value = Tensor(type: TensorType(.float32, []))
        if case .tensor(let given)? = context.node.attributes["value"] { value = given }
        guard value.type.count == 1 else { throw context.failure("value must hold one element") }
        guard TensorType(value.type.element, shape).isPlannable else { throw context.failure("shape \(shape) is not plannable") }
        let tensor = Tensor(type: TensorType(value.type.element, shape))
        let width = value.type.element.byteSize
        for i in 0..<tensor.type.count { (tensor.pointer + i * width).copyMemory(from: value.pointer, byteCount: width) }
        return .constant(tensor)
    }

    /// Range: its length depends on its values, so with fixed shapes they are known at load.
    static func range(_ context: NodeContext) throws -> KernelPlan {
        let element = try context.requireElement(0, [.int64, .int32, .float32])
        let bounds = try (0..<3).map { try context.constant($0) }
        guard bounds.allSatisfy({ $0.type.count == 1 && $0.type.element == element }) else {
            throw context.failure("start, limit and delta must be scalars of one type")
        }
        if element == .float32 {
            let (start, limit, delta) = (bounds[0].floats()[0], bounds[1].floats()[0], bounds[2].floats()[0])
            guard delta != 0, delta.isFinite, start.isFinite, limit.isFinite else { throw context.failure("delta is 0 or a bound is not finite") }
            let steps = ((limit - start) / delta).rounded(.up)
            guard steps.isFinite, steps <= Float(1 << 24) else { throw context.failure("more than \(1 << 24) elements") }
            let count = Swift.max(Int(steps), 0)
            let tensor = Tensor(type: TensorType(.float32, [count]))
            for i in 0..<count { tensor.pointer.storeBytes(of: start + Float(i) * delta, toByteOffset: i * 4, as: Float.self) }
            return .constant(tensor)
        }
        let (start, limit, delta) = (bounds[0].integers()[0], bounds[1].integers()[0], bounds[2].integers()[0])
        guard delta != 0 else { throw context.failure("delta is 0") }
        // In Double: the bounds of a corrupt model may overflow Int in this arithmetic.
        let span = (Double(limit) - Double(start)) / Double(delta)
        guard span <= Double(1 << 24) else { throw context.failure("more than \(1 << 24) elements") }
        let count = Swift.max((limit - start + delta + (delta > 0 ? -1 : 1)) / delta, 0)
        let values = (0..<count).map { start + $0 * delta }
        if element == .int64 { return .constant(int64Tensor(values)) }
        let tensor = Tensor(type: TensorType(.int32, [count]))
        for (i, v) in values.enumerated() { tensor.pointer.storeBytes(of: Int32(truncatingIfNeeded: v), toByteOffset: i * 4, as: Int32.self) }
        return .constant(tensor)
    }

    static func int64Tensor(_ values: [Int]) -> Tensor {
        let tensor = Tensor(type: TensorType(.int64, [values.count]))
        for (i, v) in values.enumerated() { tensor.pointer.storeBytes(of: Int64(v), toByteOffset: i * 8, as: Int64.self) }
        return tensor
    }
}
