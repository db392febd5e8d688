import Foundation
import Recognizer
import Testing
import TestSupport

@Suite struct ScoreKernelTests {
    @Test func argmaxTakesTheFirstOfEqualMaxima() {
        let values: [Float] = [1, 5, -2, 5, 0]
        #expect(values.withUnsafeBufferPointer { ScoreKernels.argmax($0) } == 1)
        #expect([Float]().withUnsafeBufferPointer { ScoreKernels.argmax($0) } == 0)
    }

    @Test func logSoftmaxMatchesTheDefinitionAcrossVectorWidths() {
        var generator = SplitMix(seed: 11)
        for count in [1, 7, 8, 9, 500] {
            let values = (0..<count).map { _ in Float(generator.nextUnit() * 40 - 20) }
            var result = values
            result.withUnsafeMutableBufferPointer { ScoreKernels.logSoftmax($0) }
            let maximum = values.map(Double.init).max()!
            let logSum = maximum + log(values.reduce(0.0) { $0 + exp(Double($1) - maximum) })
            for index in 0..<count {
                #expect(abs(Double(result[index]) - (Double(values[index]) - logSum)) < 1e-4)
            }
            #expect(abs(result.reduce(0.0) { $0 + exp(Double($1)) } - 1) < 1e-4)
        }
    }

    @Test func topKReturnsTheLargestInOrder() {
        var generator = SplitMix(seed: 5)
        let values = (0..<2000).map { _ in Float(generator.nextUnit()) }
        let expected = Array(values.indices.sorted { values[$0] > values[$1] }.prefix(4))
        #expect(values.withUnsafeBufferPointer { ScoreKernels.topK($0, k: 4) } == expected)
        // Ties come out as libstdc++'s std::partial_sort leaves them (the reference's TopkIndex); the
        // expected orders were printed by that function (g++ 12) for the same inputs.
        let ties: [([Float], Int, [Int])] = [([3, 1, 3, 2], 10, [2, 0, 3, 1]), ([1, 1, 1, 1, 1, 1], 4, [1, 3, 0, 2]),
                                             ([2, 5, 5, 1, 5, 2, 5], 3, [4, 1, 2]), ([0, 7, 7, 7, 7, 0, 7, 7], 4, [1, 3, 4, 2])]
        for (values, k, expected) in ties {
            #expect(values.withUnsafeBufferPointer { ScoreKernels.topK($0, k: k) } == expected, "\(values)")
        }
        let small: [Float] = [3, 1, 3, 2]
        #expect(small.withUnsafeBufferPointer { ScoreKernels.topK($0, k: 0) } == [])
    }

    @Test func logAddIsStableAndExact() {
        #expect(abs(ScoreKernels.logAdd(log(0.15), log(0.15)) - log(0.3)) < 1e-12)
        #expect(ScoreKernels.logAdd(-.infinity, -3) == -3)
        #expect(abs(ScoreKernels.logAdd(-1000, -1000) - (-1000 + log(2))) < 1e-9)
    }
}

@Suite struct TokenTrailTests {
    @Test func compactionKeepsEveryLivePathAndBoundsStorage() {
        // Four paths that branch and die like a beam over 100 000 frames.
        var trail = TokenTrail()
        var tails: [Int32] = Array(repeating: TokenTrail.none, count: 4)
        var lengths = [0, 0, 0, 0]
        var generator = SplitMix(seed: 1)
        var largest = 0
        for frame in 0..<100_000 {
            let source = Int(generator.next() % 4)
            let target = Int(generator.next() % 4)
            tails[target] = trail.append(token: frame % 500, frame: frame, after: tails[source])
            lengths[target] = lengths[source] + 1
            if trail.needsCompaction { trail.compact(keeping: &tails) }
            largest = max(largest, trail.count)
        }
        let longest = lengths.max()!
        #expect(largest <= max(8192, 2 * longest + 8))
        for (tail, length) in zip(tails, lengths) {
            let path = trail.path(endingAt: tail, count: length)
            #expect(path.tokens.count == length)
            // Tokens were stamped with their frame, so a path's frames rise and match its tokens.
            #expect(zip(path.tokens, path.frames).allSatisfy { $0 == $1 % 500 })
            #expect(zip(path.frames, path.frames.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test func contextFillsTheStartWithMinusOneThenBlank() {
        var trail = TokenTrail()
        var context: [Int64] = [9, 9, 9]
        trail.context(endingAt: TokenTrail.none, into: &context)
        #expect(context == [-1, -1, 0])
        let first = trail.append(token: 7, frame: 0, after: TokenTrail.none)
        trail.context(endingAt: first, into: &context)
        #expect(context == [-1, 0, 7])
        let second = trail.append(token: 8, frame: 1, after: first)
        let third = trail.append(token: 9, frame: 2, after: second)
        trail.context(endingAt: third, into: &context)
        #expect(context == [7, 8, 9])
    }
}
