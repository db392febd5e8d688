/// Cast between the supported element types (float to integer truncates toward zero, as C does).
final class CastKernel: Kernel {
    let from: ElementType, to: ElementType, count: Int

    init(from: ElementType, to: ElementType, count: Int) {
        self.from = from
        self.to = to
        self.count = count
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        switch from {
        case .float32: convert(inputs[0].assumingMemoryBound(to: Float.self), outputs[0])
        case .int64: convert(inputs[0].assumingMemoryBound(to: Int64.self), outputs[0])
        case .int32: convert(inputs[0].assumingMemoryBound(to: Int32.self), outputs[0])
        case .uint8, .bool: convert(inputs[0].assumingMemoryBound(to: UInt8.self), outputs[0])
        case .int8: convert(inputs[0].assumingMemoryBound(to: Int8.self), outputs[0])
        }
    }

    private func convert<S: CastSource>(_ x: UnsafePointer<S>, _ out: UnsafeMutableRawPointer) {
        let n = count
        switch to {
        case .float32: let y = out.assumingMemoryBound(to: Float.self); for i in 0..<n { y[i] = x[i].asFloat }
        case .int64: let y = out.assumingMemoryBound(to: Int64.self); for i in 0..<n { y[i] = x[i].asInt64 }
        case .int32: let y = out.assumingMemoryBound(to: Int32.self); for i in 0..<n { y[i] = Int32(truncatingIfNeeded: x[i].asInt64) }
        case .uint8: let y = out.assumingMemoryBound(to: UInt8.self); for i in 0..<n { y[i] = UInt8(truncatingIfNeeded: x[i].asInt64) }
        case .int8: let y = out.assumingMemoryBound(to: Int8.self); for i in 0..<n { y[i] = Int8(truncatingIfNeeded: x[i].asInt64) }
        case .bool: let y = out.assumingMemoryBound(to: UInt8.self); for i in 0..<n { y[i] = x[i].isNonzero ? 1 : 0 }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0).type
        let code = Int32(context.node.int("to", default: 0))
        guard let target = ElementType(rawValue: code) else { throw context.failure("unsupported target type \(code)") }
        return .compute(.cast(from: input.element, to: target, count: input.count), outputs: [TensorType(target, input.shape)])
    }
}

/// Scalar conversions a cast source supports.
protocol CastSource {
    var asFloat: Float { get }
    var asInt64: Int64 { get }
    var isNonzero: Bool { get }
}

extension Float: CastSource {
    var asFloat: Float { self }
    /// Truncation toward zero; NaN and out-of-range values saturate instead of trapping.
    var asInt64: Int64 {
        if isNaN { return 0 }
        if self >= 9.2e18 { return .max }
        if self <= -9.2e18 { return .min }
        return Int64(self)
    }
    var isNonzero: Bool { self != 0 }
}

extension Int64: CastSource {
    var asFloat: Float { Float(self) }
    var asInt64: Int64 { self }
    var isNonzero: Bool { self != 0 }
}

extension Int32: CastSource {
    var asFloat: Float { Float(self) }
    var asInt64: Int64 { Int64(self) }
    var isNonzero: Bool { self != 0 }
}

extension UInt8: CastSource {
    var asFloat: Float { Float(self) }
    var asInt64: Int64 { Int64(self) }
    var isNonzero: Bool { self != 0 }
}

extension Int8: CastSource {
    var asFloat: Float { Float(self) }
    var asInt64: Int64 { Int64(self) }
    var isNonzero: Bool { self != 0 }
}
