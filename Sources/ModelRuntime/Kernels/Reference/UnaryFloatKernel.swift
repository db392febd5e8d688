import CKernels
import Foundation

/// Float elementwise functions of one input (activations, Exp/Log, Abs/Neg, Clip).
final class UnaryFloatKernel: Kernel {
    let function: UnaryFloatFunction
    let count: Int

    init(_ function: UnaryFloatFunction, count: Int) {
        self.function = function
        self.count = count
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        var start = 0
        #if arch(x86_64)
        // The AVX2 kernel set takes the whole vectors of the costly functions (VectorMath's lanes
        // equal ReferenceMath's scalars); the loops below finish the tail.
        if KernelSet.active == .avx2 {
            let vectorFunction: asr_vector_function?
            switch function {
            case .exp: vectorFunction = ASR_EXP
            case .log: vectorFunction = ASR_LOG
            case .tanh: vectorFunction = ASR_TANH
            case .sigmoid: vectorFunction = ASR_LOGISTIC
            default: vectorFunction = nil
            }
            if let vectorFunction {
                start = count / 8 * 8
                asr_avx2_vector_function(Int32(vectorFunction.rawValue), x, y, start)
            }
        }
        #endif
        let n = count
        switch function {
        case .abs: for i in 0..<n { y[i] = Swift.abs(x[i]) }
        case .neg: for i in 0..<n { y[i] = -x[i] }
        case .exp: for i in start..<n { y[i] = ReferenceMath.exp(x[i]) }
        case .log: for i in start..<n { y[i] = ReferenceMath.log(x[i]) }
        case .tanh: for i in start..<n { y[i] = ReferenceMath.tanh(x[i]) }
        case .sigmoid: for i in start..<n { y[i] = ReferenceMath.logistic(x[i]) }
        case .relu: for i in 0..<n { y[i] = Swift.max(x[i], 0) }
        case .sqrt: for i in 0..<n { y[i] = x[i].squareRoot() }
        case .reciprocal: for i in 0..<n { y[i] = 1 / x[i] }
        case .erf: for i in 0..<n { y[i] = Foundation.erf(x[i]) }
        case .clip(let low, let high): for i in 0..<n { y[i] = Swift.min(Swift.max(x[i], low), high) }
        }
    }
}

enum UnaryBuilders {
    static func neg(_ context: NodeContext) throws -> KernelPlan {
        let type = try context.input(0).type
        if try context.requireElement(0, [.float32, .int64]) == .int64 {
            return .compute(.negateInt64(count: type.count), outputs: [type])
        }
        return .compute(.unaryFloat(.neg, count: type.count), outputs: [type])
    }

    static func float(_ function: UnaryFloatFunction) -> (NodeContext) throws -> KernelPlan {
        return { context in
            _ = try context.requireElement(0, [.float32])
            let type = try context.input(0).type
            return .compute(.unaryFloat(function, count: type.count), outputs: [type])
        }
    }

    static func clip(_ context: NodeContext) throws -> KernelPlan {
        let input = try context.input(0)
        func bound(_ index: Int, attribute: String) throws -> Float? {
            if context.has(index) { return try context.constant(index).floats().first }
            if context.node.attributes[attribute] != nil { return context.node.float(attribute, default: 0) }
            return nil
        }
        let low = try bound(1, attribute: "min")
        let high = try bound(2, attribute: "max")
        switch input.type.element {
        case .float32:
            return .compute(.unaryFloat(.clip(low ?? -.infinity, high ?? .infinity), count: input.type.count), outputs: [input.type])
        case .int64:
            let lowInt = context.has(1) ? Int64(try context.constant(1).integers().first ?? Int(Int64.min)) : Int64.min
            let highInt = context.has(2) ? Int64(try context.constant(2).integers().first ?? Int(Int64.max)) : Int64.max
            return .compute(.clipInt64(low: lowInt, high: highInt, count: input.type.count), outputs: [input.type])
        default:
            throw context.failure("unsupported type \(input.type.element)")
        }
    }
}
