import CKernels
import Foundation

/// Elementwise binary operators with numpy broadcasting, over precomputed offsets.
final class BinaryKernel: Kernel {
    let operation: BinaryOperation
    let element: ElementType
    let layout: StridedLayout

    init(_ operation: BinaryOperation, element: ElementType, layout: StridedLayout) {
        self.operation = operation
        self.element = element
        self.layout = layout
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        switch element {
        case .float32: runFloat(inputs[0].assumingMemoryBound(to: Float.self), inputs[1].assumingMemoryBound(to: Float.self), outputs[0])
        case .int64: runInteger(inputs[0].assumingMemoryBound(to: Int64.self), inputs[1].assumingMemoryBound(to: Int64.self), outputs[0])
        case .int32: runInteger(inputs[0].assumingMemoryBound(to: Int32.self), inputs[1].assumingMemoryBound(to: Int32.self), outputs[0])
        case .bool, .uint8, .int8: runBool(inputs[0].assumingMemoryBound(to: UInt8.self), inputs[1].assumingMemoryBound(to: UInt8.self), outputs[0])
        }
    }

    private func runFloat(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutableRawPointer) {
        let y = out.assumingMemoryBound(to: Float.self)
        let flags = out.assumingMemoryBound(to: Bool.self)
        #if arch(x86_64)
        if KernelSet.active == .avx2, let operation = avx2Operation {
            applyInC(operation, a, b, y)
            return
        }
        #endif
        switch operation {
        case .add: apply(a, b, y) { $0 + $1 }
        case .sub: apply(a, b, y) { $0 - $1 }
        case .mul: apply(a, b, y) { $0 * $1 }
        case .div: apply(a, b, y) { $0 / $1 }
        case .pow: apply(a, b, y) { Foundation.pow($0, $1) }
        case .square: apply(a, b, y) { x, _ in x * x }
        case .max: apply(a, b, y) { Swift.max($0, $1) }
        case .min: apply(a, b, y) { Swift.min($0, $1) }
        case .equal: apply(a, b, flags) { $0 == $1 }
        case .less: apply(a, b, flags) { $0 < $1 }
        case .lessOrEqual: apply(a, b, flags) { $0 <= $1 }
        case .greater: apply(a, b, flags) { $0 > $1 }
        case .greaterOrEqual: apply(a, b, flags) { $0 >= $1 }
        case .and, .or: break  // Rejected at build for float.
        }
    }

    #if arch(x86_64)
    /// The float operations the AVX2 kernel set runs in C.
    private var avx2Operation: asr_binary_operation? {
        switch operation {
        case .add: return ASR_ADD
        case .sub: return ASR_SUB
        case .mul: return ASR_MUL
        case .div: return ASR_DIV
        case .max: return ASR_MAX
        case .min: return ASR_MIN
        case .square: return ASR_SQUARE
        default: return nil
        }
    }

    /// `apply` with the loop over contiguous or broadcast operands in C (other strides stay here).
    private func applyInC(_ operation: asr_binary_operation, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                          _ y: UnsafeMutablePointer<Float>) {
        let n = layout.innerCount
        let sa = layout.innerStrides[1], sb = layout.innerStrides[2]
        guard sa <= 1, sb <= 1 else {
            let scalar: (Float, Float) -> Float
            switch operation {
            case ASR_ADD: scalar = { $0 + $1 }
            case ASR_SUB: scalar = { $0 - $1 }
            case ASR_MUL: scalar = { $0 * $1 }
            case ASR_DIV: scalar = { $0 / $1 }
            case ASR_MAX: scalar = { Swift.max($0, $1) }
            case ASR_MIN: scalar = { Swift.min($0, $1) }
            default: scalar = { x, _ in x * x }
            }
            apply(a, b, y, scalar)
            return
        }
        layout.outerOffsets[0].withUnsafeBufferPointer { outOffsets in
        layout.outerOffsets[1].withUnsafeBufferPointer { aOffsets in
        layout.outerOffsets[2].withUnsafeBufferPointer { bOffsets in
            for o in 0..<outOffsets.count {
                asr_avx2_binary(Int32(operation.rawValue), a + aOffsets[o], sa, b + bOffsets[o], sb, y + outOffsets[o], n)
            }
        }}}
    }
    #endif

    private func runInteger<T: FixedWidthInteger>(_ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ out: UnsafeMutableRawPointer) {
        let y = out.assumingMemoryBound(to: T.self)
        let flags = out.assumingMemoryBound(to: Bool.self)
        switch operation {
        case .add: apply(a, b, y) { $0 &+ $1 }
        case .sub: apply(a, b, y) { $0 &- $1 }
        case .mul: apply(a, b, y) { $0 &* $1 }
        case .div: apply(a, b, y) { $1 == 0 ? 0 : $0 / $1 }
        case .square: apply(a, b, y) { x, _ in x &* x }
        case .pow: apply(a, b, y) { x, e in
            var result: T = 1
            if e > 0 { for _ in 0..<Int(e) { result = result &* x } }
            return result
        }
        case .max: apply(a, b, y) { Swift.max($0, $1) }
        case .min: apply(a, b, y) { Swift.min($0, $1) }
        case .equal: apply(a, b, flags) { $0 == $1 }
        case .less: apply(a, b, flags) { $0 < $1 }
        case .lessOrEqual: apply(a, b, flags) { $0 <= $1 }
        case .greater: apply(a, b, flags) { $0 > $1 }
        case .greaterOrEqual: apply(a, b, flags) { $0 >= $1 }
        case .and, .or: break
        }
    }

    private func runBool(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ out: UnsafeMutableRawPointer) {
        let flags = out.assumingMemoryBound(to: Bool.self)
        switch operation {
        case .and: apply(a, b, flags) { $0 != 0 && $1 != 0 }
        case .or: apply(a, b, flags) { $0 != 0 || $1 != 0 }
        case .equal: apply(a, b, flags) { $0 == $1 }
        default: break
        }
    }

    @inline(__always)
    private func apply<A, R>(_ a: UnsafePointer<A>, _ b: UnsafePointer<A>, _ y: UnsafeMutablePointer<R>,
                             _ f: (A, A) -> R) {
        let n = layout.innerCount
        let sa = layout.innerStrides[1], sb = layout.innerStrides[2]
        layout.outerOffsets[0].withUnsafeBufferPointer { outOffsets in
        layout.outerOffsets[1].withUnsafeBufferPointer { aOffsets in
        layout.outerOffsets[2].withUnsafeBufferPointer { bOffsets in
            for o in 0..<outOffsets.count {
                let pa = a + aOffsets[o], pb = b + bOffsets[o], py = y + outOffsets[o]
                if sa == 1 && sb == 1 {
                    for i in 0..<n { py[i] = f(pa[i], pb[i]) }
                } else if sa == 1 && sb == 0 {
                    let vb = pb[0]
                    for i in 0..<n { py[i] = f(pa[i], vb) }
                } else if sa == 0 && sb == 1 {
                    let va = pa[0]
                    for i in 0..<n { py[i] = f(va, pb[i]) }
                } else {
                    for i in 0..<n { py[i] = f(pa[i * sa], pb[i * sb]) }
                }
            }
        }}}
    }
}

enum BinaryBuilders {
    static func make(_ operation: BinaryOperation) -> (NodeContext) throws -> KernelPlan {
        return { context in
            let a = try context.input(0).type, b = try context.input(1).type
            guard a.element == b.element else {
                throw context.failure("input types differ: \(a.element) and \(b.element)")
            }
            guard let shape = broadcastShape([a.shape, b.shape]) else {
                throw context.failure("shapes \(a.shape) and \(b.shape) do not broadcast")
            }
            var operation = operation
            let comparison: Bool
            switch operation {
            case .equal, .less, .lessOrEqual, .greater, .greaterOrEqual, .and, .or: comparison = true
            default: comparison = false
            }
            switch (operation, a.element) {
            case (.and, .bool), (.or, .bool), (.equal, .bool): break
            case (.and, _), (.or, _): throw context.failure("needs bool inputs")
            case (_, .float32), (_, .int64), (_, .int32): break
            default: throw context.failure("unsupported type \(a.element)")
            }
            if case .pow = operation, let exponent = try? context.constant(1), exponent.type.count == 1,
               exponent.floats()[0] == 2 {
                operation = .square
            }
            let layout = StridedLayout(shape: shape, strides: [
                contiguousStrides(shape), broadcastStrides(a.shape, to: shape), broadcastStrides(b.shape, to: shape),
            ])
            let output = TensorType(comparison ? .bool : a.element, shape)
            return .compute(.binary(operation, element: a.element, layout: layout), outputs: [output])
        }
    }

    /// Max/Min are variadic in ONNX; the runtime handles the common two-input form.
    static func variadic(_ operation: BinaryOperation) -> (NodeContext) throws -> KernelPlan {
        let binary = make(operation)
        return { context in
            guard context.inputs.count == 2 else { throw context.failure("only the two-input form is supported") }
            return try binary(context)
        }
    }
}
