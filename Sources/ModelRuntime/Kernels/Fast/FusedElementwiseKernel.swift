import CKernels

/// A chain (or small tree) of float elementwise operators run as one loop: each tile of 256
/// elements goes through every instruction while it stays in L1, instead of one pass over memory
/// per operator. Each instruction computes what the unfused kernel computes, lane by lane, so the
/// results are bit for bit those of the separate steps.
final class FusedElementwiseKernel: Kernel {
    static let tile = 256

    let count: Int
    /// Stored unmanaged so the run loop does no reference counting.
    let instructions: UnsafeMutablePointer<ElementwiseInstruction>
    let instructionCount: Int
    let inputCount: Int

    /// The last instruction's result is the kernel's one output.
    init(count: Int, inputCount: Int, instructions: [ElementwiseInstruction]) {
        self.count = count
        self.inputCount = inputCount
        instructionCount = instructions.count
        self.instructions = .allocate(capacity: Swift.max(instructions.count, 1))
        self.instructions.initialize(from: instructions, count: instructions.count)
    }

    deinit {
        instructions.deinitialize(count: instructionCount)
        instructions.deallocate()
    }

    /// Tile buffers: one per instruction, then one per tensor input for the last, partial tile.
    var workspaceBytes: Int { (instructionCount + inputCount) * Self.tile * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let scratch = memory.shared.scratch(Float.self, at: 0)
        let tile = Self.tile
        var start = 0
        while start < count {
            let length = Swift.min(tile, count - start)
            let vectors = (length + 7) / 8
            for index in 0..<instructionCount {
                let instruction = instructions[index]
                let last = index == instructionCount - 1
                // Full tiles write the final result straight to the output.
                let target = last && length == tile ? y + start : scratch + index * tile
                let a = source(instruction.first, inputs, start: start, length: length, scratch: scratch)
                let b = instruction.operation.isUnary ? a : source(instruction.second, inputs, start: start, length: length, scratch: scratch)
                Self.apply(instruction.operation, a, b, target, vectors: vectors)
                if last && length < tile { (y + start).update(from: target, count: length) }
            }
            start += length
        }
    }

    /// Where an operand's values for this tile are: a pointer (stride 8 per vector) or a broadcast.
    private struct Source {
        var pointer: UnsafePointer<Float>?
        var value: Float
    }

    @inline(__always)
    private func source(_ operand: ElementwiseInstruction.Operand, _ inputs: UnsafePointer<UnsafeRawPointer>, start: Int,
                        length: Int, scratch: UnsafeMutablePointer<Float>) -> Source {
        switch operand {
        case .tensor(let index):
            let x = inputs[index].assumingMemoryBound(to: Float.self) + start
            if length == Self.tile { return Source(pointer: x, value: 0) }
            // The partial last tile is copied so whole vectors can be read.
            let staging = scratch + (instructionCount + index) * Self.tile
            staging.update(from: x, count: length)
            return Source(pointer: staging, value: 0)
        case .scalar(let index):
            return Source(pointer: nil, value: inputs[index].assumingMemoryBound(to: Float.self).pointee)
        case .result(let index):
            return Source(pointer: scratch + index * Self.tile, value: 0)
        }
    }

    private static func apply(_ operation: ElementwiseInstruction.Operation, _ a: Source, _ b: Source, _ y: UnsafeMutablePointer<Float>,
                              vectors: Int) {
        switch operation {
        case .add: binary(Add.self, a, b, y, vectors)
        case .sub: binary(Subtract.self, a, b, y, vectors)
        case .mul: binary(Multiply.self, a, b, y, vectors)
        case .div: binary(Divide.self, a, b, y, vectors)
        case .max: binary(Maximum.self, a, b, y, vectors)
        case .min: binary(Minimum.self, a, b, y, vectors)
        case .square: unary(Square.self, a, y, vectors)
        case .abs: unary(Magnitude.self, a, y, vectors)
        case .neg: unary(Negate.self, a, y, vectors)
        case .exp: unary(Exponential.self, a, y, vectors)
        case .log: unary(Logarithm.self, a, y, vectors)
        case .sigmoid: unary(Logistic.self, a, y, vectors)
        case .tanh: unary(HyperbolicTangent.self, a, y, vectors)
        case .relu: binary(Maximum.self, a, Source(pointer: nil, value: 0), y, vectors)
        case .sqrt:
            let source = a.pointer ?? UnsafePointer(y)
            if a.pointer == nil { y.update(repeating: a.value, count: vectors * 8) }
            for i in 0..<vectors * 8 { y[i] = source[i].squareRoot() }
        case .reciprocal: binary(Divide.self, Source(pointer: nil, value: 1), a, y, vectors)
        case .replaceEqual(let value):
            let target = VectorMath.Vector(repeating: value)
            for v in 0..<vectors {
                let x = load(a, v)
                store(x.replacing(with: load(b, v), where: x .== target), y, v)
            }
        case .clip(let low, let high):
            binary(Maximum.self, a, Source(pointer: nil, value: low), y, vectors)
            binary(Minimum.self, Source(pointer: UnsafePointer(y), value: 0), Source(pointer: nil, value: high), y, vectors)
        }
    }

    @inline(__always)
    private static func load(_ source: Source, _ vector: Int) -> VectorMath.Vector {
        guard let pointer = source.pointer else { return VectorMath.Vector(repeating: source.value) }
        return UnsafeRawPointer(pointer + vector &* 8).loadUnaligned(as: VectorMath.Vector.self)
    }

    @inline(__always)
    private static func store(_ value: VectorMath.Vector, _ y: UnsafeMutablePointer<Float>, _ vector: Int) {
        UnsafeMutableRawPointer(y + vector &* 8).storeBytes(of: value, as: VectorMath.Vector.self)
    }

    @inline(__always)
    private static func unary<F: UnaryFunction>(_ f: F.Type, _ a: Source, _ y: UnsafeMutablePointer<Float>, _ vectors: Int) {
        #if arch(x86_64)
        if KernelSet.active == .avx2, let function = F.avx2Function {
            // The C loop reads a tile: a broadcast operand is spread over the target first.
            if a.pointer == nil { y.update(repeating: a.value, count: vectors * 8) }
            asr_avx2_vector_function(Int32(function.rawValue), a.pointer ?? UnsafePointer(y), y, vectors * 8)
            return
        }
        #endif
        for v in 0..<vectors { store(F.apply(load(a, v)), y, v) }
    }

    @inline(__always)
    private static func binary<F: BinaryFunction>(_ f: F.Type, _ a: Source, _ b: Source, _ y: UnsafeMutablePointer<Float>,
                                                  _ vectors: Int) {
        #if arch(x86_64)
        if KernelSet.active == .avx2, let operation = F.avx2Operation {
            // A broadcast operand is read as a stride-0 pointer to its value.
            var (va, vb) = (a.value, b.value)
            withUnsafePointer(to: &va) { pa in
                withUnsafePointer(to: &vb) { pb in
                    asr_avx2_binary(Int32(operation.rawValue), a.pointer ?? pa, a.pointer == nil ? 0 : 1,
                                    b.pointer ?? pb, b.pointer == nil ? 0 : 1, y, vectors * 8)
                }
            }
            return
        }
        #endif
        // Separate loops per operand kind keep the broadcast out of the inner loop.
        switch (a.pointer, b.pointer) {
        case (let pa?, let pb?):
            for v in 0..<vectors {
                store(F.apply(UnsafeRawPointer(pa + v &* 8).loadUnaligned(as: VectorMath.Vector.self),
                              UnsafeRawPointer(pb + v &* 8).loadUnaligned(as: VectorMath.Vector.self)), y, v)
            }
        case (let pa?, nil):
            let vb = VectorMath.Vector(repeating: b.value)
            for v in 0..<vectors { store(F.apply(UnsafeRawPointer(pa + v &* 8).loadUnaligned(as: VectorMath.Vector.self), vb), y, v) }
        case (nil, let pb?):
            let va = VectorMath.Vector(repeating: a.value)
            for v in 0..<vectors { store(F.apply(va, UnsafeRawPointer(pb + v &* 8).loadUnaligned(as: VectorMath.Vector.self)), y, v) }
        case (nil, nil):
            let value = F.apply(VectorMath.Vector(repeating: a.value), VectorMath.Vector(repeating: b.value))
            for v in 0..<vectors { store(value, y, v) }
        }
    }
}

/// The lane functions, as types so each loop is specialized and inlined (no closure calls).
private protocol UnaryFunction {
    static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector
    /// The AVX2 kernel set's loop for the costly functions (nil: the Swift loop runs everywhere).
    static var avx2Function: asr_vector_function? { get }
}

extension UnaryFunction {
    static var avx2Function: asr_vector_function? { nil }
}
private protocol BinaryFunction {
    static func apply(_ x: VectorMath.Vector, _ y: VectorMath.Vector) -> VectorMath.Vector
    /// The AVX2 kernel set's loop (`asr_avx2_binary`).
    static var avx2Operation: asr_binary_operation? { get }
}

private enum Add: BinaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector, _ y: VectorMath.Vector) -> VectorMath.Vector { x + y }
    static var avx2Operation: asr_binary_operation? { ASR_ADD }
}
private enum Subtract: BinaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector, _ y: VectorMath.Vector) -> VectorMath.Vector { x - y }
    static var avx2Operation: asr_binary_operation? { ASR_SUB }
}
private enum Multiply: BinaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector, _ y: VectorMath.Vector) -> VectorMath.Vector { x * y }
    static var avx2Operation: asr_binary_operation? { ASR_MUL }
}
private enum Divide: BinaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector, _ y: VectorMath.Vector) -> VectorMath.Vector { x / y }
    static var avx2Operation: asr_binary_operation? { ASR_DIV }
}
private enum Maximum: BinaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector, _ y: VectorMath.Vector) -> VectorMath.Vector { VectorMath.maximum(x, y) }
    static var avx2Operation: asr_binary_operation? { ASR_MAX }
}
private enum Minimum: BinaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector, _ y: VectorMath.Vector) -> VectorMath.Vector { VectorMath.minimum(x, y) }
    static var avx2Operation: asr_binary_operation? { ASR_MIN }
}
private enum Square: UnaryFunction { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { x * x } }
private enum Magnitude: UnaryFunction { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.magnitude(x) } }
private enum Negate: UnaryFunction { @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { -x } }
private enum Exponential: UnaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.exp(x) }
    static var avx2Function: asr_vector_function? { ASR_EXP }
}
private enum Logarithm: UnaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.log(x) }
    static var avx2Function: asr_vector_function? { ASR_LOG }
}
private enum Logistic: UnaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.logistic(x) }
    static var avx2Function: asr_vector_function? { ASR_LOGISTIC }
}
private enum HyperbolicTangent: UnaryFunction {
    @inline(__always) static func apply(_ x: VectorMath.Vector) -> VectorMath.Vector { VectorMath.tanh(x) }
    static var avx2Function: asr_vector_function? { ASR_TANH }
}
