import Foundation

/// Softmax over the last axis: exp(x - max) / sum.
final class SoftmaxKernel: Kernel {
    let rows: Int, width: Int

    init(rows: Int, width: Int) {
        self.rows = rows
        self.width = width
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
        for r in 0..<rows {
            let px = x + r * width, py = y + r * width
            var maximum = -Float.infinity
            for i in 0..<width { maximum = Swift.max(maximum, px[i]) }
            var sum: Float = 0
            for i in 0..<width {
                let e = Foundation.exp(px[i] - maximum)
                py[i] = e
                sum += e
            }
            let scale = 1 / sum
            for i in 0..<width { py[i] *= scale }
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        let input = try context.input(0).type
        let axis = try context.axis(context.node.int("axis", default: context.opsetVersion >= 13 ? -1 : 1), rank: input.rank)
        // Before opset 13 Softmax flattens from `axis`; both agree when it is the last axis.
        guard axis == input.rank - 1 else { throw context.failure("only the last axis is supported") }
        let width = input.shape.last ?? 1
        return .compute(SoftmaxKernel(rows: width == 0 ? 0 : input.count / width, width: width), outputs: [input])
    }
}
