import ModelRuntime
import Testing
import TestSupport

/// The optimized mode runs chains of elementwise operators as one loop with vector versions of
/// exp, log, logistic and tanh; it must give the bits the separate steps give.
@Suite struct ElementwiseFusionTests {
    static let path = Fixtures.data("RuntimeTests", "elementwise-chains.onnx")

    /// Values across every branch of the functions: both clamps of exp, logistic and tanh, zero and
    /// negative zero, subnormals, tiny and huge magnitudes, and ordinary values.
    static func sweep(_ count: Int, seed: Int) -> [Float] {
        let specials: [Float] = [0, -0.0, 1e-40, -1e-40, 1e-30, -1e-30, 88.5, 89, -103, -105, 200, -200, 18, -18, 9, -9,
                                 0.70710677, 0.7071068, 1, -1, 4, 3, 0.5, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
                                 // The Swoosh kernel's fast-path bounds (|x - offset| < 87), infinities and NaN.
                                 86.99, -86.99, 87, -87, 88, 91, -83, -84, .infinity, -.infinity, .nan]
        var generator = SplitMix(seed: UInt64(seed))
        return (0..<count).map { index in
            if index < specials.count { return specials[index] }
            let magnitude = Float.random(in: -12...7, using: &generator)
            let sign: Float = Bool.random(using: &generator) ? 1 : -1
            return sign * Float(sign: .plus, exponent: Int(magnitude.rounded(.down)), significand: Float.random(in: 1..<2, using: &generator))
        }
    }

    @Test func fusedChainsEqualTheSeparateSteps() throws {
        let reference = try CompiledGraph(path: Self.path, options: .reference)
        let optimized = try CompiledGraph(path: Self.path, options: CompileOptions(kernels: .fastInGraphOrder))
        // Four chains (the guarded one with its Equal and Where), the lone replacement and the two
        // Swoosh spellings as Swoosh steps, nothing elementwise left over.
        #expect(optimized.operatorCounts == ["FusedElementwise": 4, "ReplaceEqual": 1, "Swoosh": 2])
        #expect(reference.operatorCounts["Where"] == 3 && reference.operatorCounts["Equal"] == 3)
        #expect(reference.operatorCounts["FusedElementwise"] == nil)
        for seed in 0..<20 {
            let x = Self.sweep(1003, seed: seed)
            for graph in [reference, optimized] {
                graph.setInput("x", x)
                graph.setInput("s", [Float(seed) * 0.25 - 2])
                graph.run()
            }
            for name in ["swoosh", "gate", "misc", "guarded", "replaced", "swoosh_stable", "swoosh_clamped"] {
                let expected = reference.floats(name), actual = optimized.floats(name)
                let differing = zip(expected, actual).filter { $0.bitPattern != $1.bitPattern && !($0.isNaN && $1.isNaN) }
                #expect(differing.isEmpty, "\(name), seed \(seed): \(differing.prefix(3))")
            }
        }
    }
}
