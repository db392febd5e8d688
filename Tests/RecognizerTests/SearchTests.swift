import Foundation
import Recognizer
import Testing
import TestSupport

@Suite struct GreedySearchTests {
    @Test func emitsTheMostLikelySymbolPerFrameSkippingBlankAndUnknown() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        let search = GreedySearch(network: network, unknownID: 2)
        let rows = [ScriptedNetwork.blankRow(6), ScriptedNetwork.tokenRow(3, size: 6), ScriptedNetwork.tokenRow(2, size: 6),
                    ScriptedNetwork.tokenRow(4, size: 6), ScriptedNetwork.blankRow(6), ScriptedNetwork.tokenRow(4, size: 6)]
        try run(search, rows: rows, firstFrame: 10)
        #expect(search.bestPath == SearchPath(tokens: [3, 4, 4], frames: [11, 13, 15]))
        #expect(search.trailingBlanks == 0)
        try run(search, rows: [ScriptedNetwork.blankRow(6), ScriptedNetwork.blankRow(6)], firstFrame: 16)
        #expect(search.trailingBlanks == 2)
    }

    @Test func startsFromTheReferenceContextAndRunsTheDecoderOncePerContext() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        let search = GreedySearch(network: network, unknownID: nil)
        let rows = [ScriptedNetwork.tokenRow(3, size: 6)] + Array(repeating: ScriptedNetwork.blankRow(6), count: 20)
            + [ScriptedNetwork.tokenRow(5, size: 6)]
        try run(search, rows: Array(rows[0..<10]))
        try run(search, rows: Array(rows[10...]), firstFrame: 10)
        // The start context is (-1, blank); then each emission shifts the context once.
        #expect(network.decodedContexts == [[-1, 0], [0, 3], [3, 5]])
        #expect(search.decoderRuns == 3)
    }

    @Test func keepsContextAcrossSegmentsOnlyAfterText() throws {
        let network = ScriptedNetwork(vocabularySize: 6)
        network.penalizesRepeats = true
        let search = GreedySearch(network: network, unknownID: nil)
        try run(search, rows: [ScriptedNetwork.tokenRow(3, size: 6), ScriptedNetwork.tokenRow(5, size: 6)])
        search.startSegment()
        #expect(search.bestPath == SearchPath())
        // The new segment still sees the last token (5) as context, so a repeated 5 is suppressed.
        try run(search, rows: [ScriptedNetwork.tokenRow(5, size: 6), ScriptedNetwork.tokenRow(4, size: 6)], firstFrame: 2)
        #expect(search.bestPath == SearchPath(tokens: [4], frames: [3]))
        search.startSegment()
        try run(search, rows: [ScriptedNetwork.blankRow(6)], firstFrame: 4)
        // A segment without text starts the next one from the start context: 4 is possible again.
        search.startSegment()
        try run(search, rows: [ScriptedNetwork.tokenRow(4, size: 6)], firstFrame: 5)
        #expect(search.bestPath == SearchPath(tokens: [4], frames: [5]))
    }
}

@Suite struct ModifiedBeamSearchTests {
    @Test func oneActivePathDecodesLikeGreedy() throws {
        var generator = SplitMix(seed: 7)
        let rows = (0..<200).map { _ in (0..<8).map { _ in Float(generator.nextUnit() * 6 - 3) } }
        let greedy = GreedySearch(network: ScriptedNetwork(vocabularySize: 8), unknownID: nil)
        let beam = ModifiedBeamSearch(network: ScriptedNetwork(vocabularySize: 8), paths: 1, unknownID: nil)
        try run(greedy, rows: rows)
        try run(beam, rows: rows)
        #expect(!greedy.bestPath.tokens.isEmpty)
        #expect(beam.bestPath == greedy.bestPath)
    }

    @Test func mergesPathsWithTheSameTokensByAddingProbabilities() throws {
        // Two frames with P(blank) = 0.5, P(a) = 0.3, P(b) = 0.2: "a" is reached by (a, blank) and
        // (blank, a), 0.15 each, and the merged path holds 0.30.
        let network = ScriptedNetwork(vocabularySize: 3)
        let search = ModifiedBeamSearch(network: network, paths: 4, unknownID: nil)
        let row = ScriptedNetwork.row([0.5, 0.3, 0.2])
        try run(search, rows: [row, row])
        // The top 4 of frame two are "", "a", "a", "b": merging leaves three paths, as in the reference.
        let paths = search.activePaths
        #expect(paths.count == 3)
        let single = try #require(paths.first { $0.segmentTokenCount == 1 && $0.logProbability > log(0.29) })
        #expect(abs(single.logProbability - log(0.30)) < 1e-5)
        let empty = try #require(paths.first { $0.segmentTokenCount == 0 })
        #expect(abs(empty.logProbability - log(0.25)) < 1e-5)
        // Length-normalized, the merged "a" beats the empty path the greedy search would keep.
        #expect(search.bestPath.tokens == [1])
        let greedy = GreedySearch(network: ScriptedNetwork(vocabularySize: 3), unknownID: nil)
        try run(greedy, rows: [row, row])
        #expect(greedy.bestPath.tokens.isEmpty)
    }

    @Test func treatsUnknownAsBlankAndEmitsAtMostOneSymbolPerFrame() throws {
        let network = ScriptedNetwork(vocabularySize: 5)
        let search = ModifiedBeamSearch(network: network, paths: 4, unknownID: 2)
        let rows = [ScriptedNetwork.tokenRow(2, size: 5), ScriptedNetwork.tokenRow(3, size: 5), ScriptedNetwork.tokenRow(4, size: 5)]
        try run(search, rows: rows)
        #expect(search.bestPath == SearchPath(tokens: [3, 4], frames: [1, 2]))
        #expect(search.activePaths.allSatisfy { $0.segmentTokenCount <= 3 })
    }

    @Test func joinsAllActivePathsOfAFrameInOneBatch() throws {
        // The reference runs the joiner once per frame over every active path (an int8 joiner's
        // quantization scale depends on the whole batch), so the search must not join path by path.
        var generator = SplitMix(seed: 11)
        let rows = (0..<40).map { _ in (0..<6).map { _ in Float(generator.nextUnit() * 4 - 2) } }
        let network = ScriptedNetwork(vocabularySize: 6)
        let search = ModifiedBeamSearch(network: network, paths: 4, unknownID: nil)
        try run(search, rows: rows)
        #expect(network.batchRows.count == rows.count)
        #expect(network.batchRows.first == 1)
        #expect(network.batchRows.dropFirst().allSatisfy { (2...4).contains($0) })
        #expect(network.batchRows.contains(4))
        #expect(network.joinCount == network.batchRows.reduce(0, +))
    }

    /// With hotwords whose bonuses dwarf the audio's scores, partial matches would fill the beam;
    /// after every frame the candidate the acoustic scores rank first and the best one outside every
    /// match are still there, so a path that counts on no unfinished bonus survives.
    @Test func hotwordsLeaveAPathOutsideEveryMatchInTheBeam() throws {
        let phrases = [[1, 2, 3, 4], [1, 5, 6], [7, 8, 9, 10], [7, 2], [3, 4, 5, 6], [11, 8, 2]]
        let graph = ContextGraph(phrases: phrases, scores: Array(repeating: 6, count: phrases.count), defaultScore: 1.5,
                                 continuesWord: (0..<12).map { [2, 4, 6, 8, 10].contains($0) })
        var generator = SplitMix(seed: 5)
        let search = ModifiedBeamSearch(network: ScriptedNetwork(vocabularySize: 12), paths: 4, unknownID: nil, contextGraph: graph)
        var framesWithAMatch = 0
        for frame in 0..<400 {
            let row = (0..<12).map { _ in Float(generator.nextUnit() * 6 - 3) }
            try run(search, rows: [row], firstFrame: frame)
            #expect(search.activePaths.contains { graph.isOutsideMatches($0.contextState) }, "frame \(frame)")
            if search.activePaths.contains(where: { !graph.isOutsideMatches($0.contextState) }) { framesWithAMatch += 1 }
        }
        // The bonuses do pull paths into matches, so the check above is not empty.
        #expect(framesWithAMatch > 200)
    }

    @Test func runsTheDecoderOncePerDistinctContext() throws {
        var generator = SplitMix(seed: 3)
        let rows = (0..<300).map { _ in (0..<6).map { _ in Float(generator.nextUnit() * 4 - 2) } }
        let network = ScriptedNetwork(vocabularySize: 6)
        let search = ModifiedBeamSearch(network: network, paths: 4, unknownID: nil)
        try run(search, rows: rows)
        let distinct = Set(network.decodedContexts.map { $0.map(Int.init) })
        #expect(network.joinCount > 600)
        #expect(distinct.count == network.decodedContexts.count)
    }
}
