import Foundation

/// DynamicQuantizeLinear as onnxruntime computes it: range widened to include 0,
/// scale = (max - min) / 255, zero point = round-half-even(clamp(-min / scale)), and
/// y = clamp(round-half-even(x / scale), -zp, 255 - zp) + zp.
final class DynamicQuantizeLinearKernel: Kernel {
    let count: Int

    init(count: Int) { self.count = count }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let (scale, zeroPoint) = DynamicQuantizeLinearKernel.parameters(x, count: count)
        DynamicQuantizeLinearKernel.quantize(x, count: count, scale: scale, zeroPoint: zeroPoint,
                                             into: outputs[0].assumingMemoryBound(to: UInt8.self))
        outputs[1].storeBytes(of: scale, as: Float.self)
        outputs[2].storeBytes(of: zeroPoint, as: UInt8.self)
    }

    static func parameters(_ x: UnsafePointer<Float>, count: Int) -> (scale: Float, zeroPoint: UInt8) {
        var low: Float = 0, high: Float = 0
        for i in 0..<count {
            low = Swift.min(low, x[i])
            high = Swift.max(high, x[i])
        }
        let scale: Float = high == low ? 1 : (high - low) / 255
        let initial = 0 - low / scale
        let zeroPoint = UInt8(Swift.max(0, Swift.min(255, initial)).rounded(.toNearestOrEven))
        return (scale, zeroPoint)
    }

    static func quantize(_ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: UInt8,
                         into y: UnsafeMutablePointer<UInt8>) {
        let low = -Float(zeroPoint), high = 255 - Float(zeroPoint), zero = Int32(zeroPoint)
        for i in 0..<count {
            let q = Swift.min(Swift.max(x[i] / scale, low), high).rounded(.toNearestOrEven)
            y[i] = UInt8(truncatingIfNeeded: Int32(q) + zero)
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        let input = try context.input(0).type
        return .compute(DynamicQuantizeLinearKernel(count: input.count),
                        outputs: [TensorType(.uint8, input.shape), TensorType(.float32, []), TensorType(.uint8, [])])
    }
}

/// MatMulInteger: int32 y = (A - a_zero) x (B - b_zero), A [..., M, K] 8-bit, B [K, N] 8-bit,
/// scalar zero points. B minus its zero point is widened to Int16 once at load when constant.
final class MatMulIntegerKernel: Kernel {
    let rows: Int, k: Int, n: Int
    let aSigned: Bool, bSigned: Bool
    let hasAZero: Bool, hasBZero: Bool
    /// (B - b_zero) as Int16 [K, N]; filled at load for a constant B, else at each run.
    let widenedB: UnsafeMutablePointer<Int16>
    let bIsConstant: Bool
    /// One row of (A - a_zero) as Int32.
    let rowScratch: UnsafeMutablePointer<Int32>

    init(rows: Int, k: Int, n: Int, aSigned: Bool, bSigned: Bool, hasAZero: Bool, hasBZero: Bool, constantB: Tensor?,
         constantBZero: Tensor?) {
        self.rows = rows; self.k = k; self.n = n
        self.aSigned = aSigned; self.bSigned = bSigned
        self.hasAZero = hasAZero; self.hasBZero = hasBZero
        widenedB = .allocate(capacity: Swift.max(k * n, 1))
        rowScratch = .allocate(capacity: Swift.max(k, 1))
        bIsConstant = constantB != nil
        if let constantB {
            let zero = constantBZero.map { MatMulIntegerKernel.load($0.pointer, 0, signed: bSigned) } ?? 0
            MatMulIntegerKernel.widen(constantB.pointer, zero: zero, signed: bSigned, count: k * n, into: widenedB)
        }
    }

    deinit {
        widenedB.deallocate()
        rowScratch.deallocate()
    }

    @inline(__always)
    static func load(_ p: UnsafeRawPointer, _ i: Int, signed: Bool) -> Int16 {
        signed ? Int16(p.load(fromByteOffset: i, as: Int8.self)) : Int16(p.load(fromByteOffset: i, as: UInt8.self))
    }

    static func widen(_ source: UnsafeRawPointer, zero: Int16, signed: Bool, count: Int, into target: UnsafeMutablePointer<Int16>) {
        if signed {
            let s = source.assumingMemoryBound(to: Int8.self)
            for i in 0..<count { target[i] = Int16(s[i]) - zero }
        } else {
            let s = source.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { target[i] = Int16(s[i]) - zero }
        }
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let aZero = hasAZero ? Int32(MatMulIntegerKernel.load(inputs[2], 0, signed: aSigned)) : 0
        if !bIsConstant {
            let bZero = hasBZero ? MatMulIntegerKernel.load(inputs[3], 0, signed: bSigned) : 0
            MatMulIntegerKernel.widen(inputs[1], zero: bZero, signed: bSigned, count: k * n, into: widenedB)
        }
        let y = outputs[0].assumingMemoryBound(to: Int32.self)
        let a = inputs[0]
        for row in 0..<rows {
            if aSigned {
                let pa = a.assumingMemoryBound(to: Int8.self) + row * k
                for i in 0..<k { rowScratch[i] = Int32(pa[i]) - aZero }
            } else {
                let pa = a.assumingMemoryBound(to: UInt8.self) + row * k
                for i in 0..<k { rowScratch[i] = Int32(pa[i]) - aZero }
            }
            let out = y + row * n
            out.update(repeating: 0, count: n)
            for inner in 0..<k {
                let scale = rowScratch[inner]
                if scale == 0 { continue }
                let bRow = widenedB + inner * n
                for column in 0..<n { out[column] &+= scale &* Int32(bRow[column]) }
            }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let aElement = try context.requireElement(0, [.uint8, .int8])
        let bElement = try context.requireElement(1, [.uint8, .int8])
        let a = try context.input(0).type, b = try context.input(1).type
        guard a.rank >= 1, b.rank == 2 else { throw context.failure("needs B of rank 2, got \(b.shape)") }
        let k = a.shape[a.rank - 1], n = b.shape[1]
        guard b.shape[0] == k else { throw context.failure("inner dimensions differ: \(a.shape) x \(b.shape)") }
        for index in [2, 3] where context.has(index) {
            guard try context.input(index).type.count == 1 else { throw context.failure("only scalar zero points are supported") }
        }
        let rows = a.count / Swift.max(k, 1)
        let shape = a.rank == 1 ? [n] : Array(a.shape.dropLast()) + [n]
        let bZero: Tensor? = context.has(3) ? context.inputs[3]?.constant : nil
        let constantB = (context.inputs[1]?.constant != nil && (!context.has(3) || bZero != nil)) ? context.inputs[1]?.constant : nil
        return .compute(MatMulIntegerKernel(rows: rows, k: k, n: n, aSigned: aElement == .int8, bSigned: bElement == .int8,
                                            hasAZero: context.has(2), hasBZero: context.has(3),
                                            constantB: constantB, constantBZero: bZero),
                        outputs: [TensorType(.int32, shape)])
    }
}

/// DequantizeLinear with scalar scale and zero point: y = (x - zero) * scale.
final class DequantizeLinearKernel: Kernel {
    let count: Int, signed: Bool, hasZero: Bool

    init(count: Int, signed: Bool, hasZero: Bool) {
        self.count = count
        self.signed = signed
        self.hasZero = hasZero
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let scale = inputs[1].load(as: Float.self)
        let zero = hasZero ? Int32(MatMulIntegerKernel.load(inputs[2], 0, signed: signed)) : 0
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        for i in 0..<count {
            y[i] = Float(Int32(MatMulIntegerKernel.load(inputs[0], i, signed: signed)) - zero) * scale
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        let element = try context.requireElement(0, [.uint8, .int8])
        let input = try context.input(0).type
        guard try context.input(1).type.count == 1 else { throw context.failure("only a scalar scale is supported") }
        return .compute(DequantizeLinearKernel(count: input.count, signed: element == .int8, hasZero: context.has(2)),
                        outputs: [TensorType(.float32, input.shape)])
    }
}
