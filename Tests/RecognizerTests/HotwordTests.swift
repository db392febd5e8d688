import AudioIO
import Foundation
import ModelRuntime
import Recognizer
import TestSupport
import Testing

/// The context graph's scores as sherpa-onnx's `ContextGraph` (non-strict `ForwardOneStep`) gives them.
@Suite struct ContextGraphTests {
    /// Bonus and state after each token, from the root.
    func walk(_ graph: ContextGraph, _ tokens: [Int]) -> [(Float, Int32)] {
        var state = ContextGraph.root
        return tokens.map { token in
            let step = graph.forward(from: state, token: token)
            state = step.state
            return (step.score, step.state)
        }
    }

    @Test func aMatchEarnsPerTokenAndKeepsItsBonusWhenComplete() {
        let graph = ContextGraph(phrases: [[1, 2, 3]], scores: [0], defaultScore: 1.5)
        let steps = walk(graph, [1, 2, 3, 4])
        #expect(steps.map(\.0) == [1.5, 1.5, 1.5, 0])
        // Complete: back at the root, so the next token takes nothing back.
        #expect(steps[2].1 == ContextGraph.root)
        #expect(steps.map(\.0).reduce(0, +) == 4.5)
    }

    @Test func aBrokenMatchGivesItsPartialBonusBack() {
        let graph = ContextGraph(phrases: [[1, 2, 3]], scores: [2], defaultScore: 1.5)
        let steps = walk(graph, [1, 2, 7])
        #expect(steps.map(\.0) == [2, 2, -4])
        #expect(steps[2].1 == ContextGraph.root)
    }

    @Test func thePartialBonusIsWhatABreakGivesBack() {
        let graph = ContextGraph(phrases: [[1, 2, 3]], scores: [2], defaultScore: 1.5)
        let steps = walk(graph, [1, 2])
        #expect(graph.partialBonus(at: ContextGraph.root) == 0)
        #expect(steps.map { graph.partialBonus(at: $0.1) } == [2, 4])
        #expect(graph.forward(from: steps[1].1, token: 7).score == -graph.partialBonus(at: steps[1].1))
    }

    /// The best path is chosen without the bonus of a match it has not finished.
    @Test func theBestPathDoesNotCountAnUnfinishedMatch() {
        let graph = ContextGraph(phrases: [[1, 2, 3]], scores: [2], defaultScore: 1.5)
        var inMatch = Hypothesis(tail: -1, contextKey: 1, logProbability: -1)
        inMatch.contextState = walk(graph, [1, 2])[1].1
        let plain = Hypothesis(tail: -1, contextKey: 2, logProbability: -2)
        var set = HypothesisSet()
        set.add(inMatch)
        set.add(plain)
        #expect(set.mostProbable(contextSize: 2)?.key == inMatch.key)
        #expect(set.mostProbable(contextSize: 2, contextGraph: graph)?.key == plain.key)
    }

    @Test func theFailArcKeepsTheLongestSuffixThatIsAPrefix() {
        // "1 2 1 2 3": after 1 2 1 the match of [1 2 3] breaks at the second 1, whose suffix "1"
        // starts the phrase again: -2 taken back, +1 for the restart.
        let graph = ContextGraph(phrases: [[1, 2, 3]], scores: [1], defaultScore: 1.5)
        let steps = walk(graph, [1, 2, 1, 2, 3])
        #expect(steps.map(\.0) == [1, 1, -1, 1, 1])
        #expect(steps.map(\.0).reduce(0, +) == 3)
    }

    @Test func sharedPrefixesKeepTheLargerScoreAndShorterPhrasesEndFirst() {
        // [5 6] with 1 and [5 6 7] with 3: the shared nodes take 3 per token; [5 6] ends there.
        let graph = ContextGraph(phrases: [[5, 6], [5, 6, 7]], scores: [1, 3], defaultScore: 1.5)
        let steps = walk(graph, [5, 6, 7])
        #expect(steps.map(\.0) == [3, 3, 0])
        #expect(steps[1].1 == ContextGraph.root)
    }

    @Test func anOutputArcCompletesTheInnerPhrase() {
        // [2 3] inside [1 2 3 4]: after 1 2 3 the node's output arc reaches the end of [2 3], which
        // completes: the partial bonus of [1 2 3] (3) is replaced by [2 3]'s (2).
        let graph = ContextGraph(phrases: [[1, 2, 3, 4], [2, 3]], scores: [1, 1], defaultScore: 1.5)
        let steps = walk(graph, [1, 2, 3])
        #expect(steps.map(\.0) == [1, 1, 0])
        #expect(steps[2].1 == ContextGraph.root)
        #expect(steps.map(\.0).reduce(0, +) == 2)
    }

    @Test func tokensOutsideEveryPhraseScoreNothing() {
        let graph = ContextGraph(phrases: [[1, 2]], scores: [0], defaultScore: 1.5)
        #expect(walk(graph, [9, 8, 9]).map(\.0) == [0, 0, 0])
    }

    /// Tokens 3, 4 and 6 continue a word; the others start one.
    static let continuesWord = (0..<9).map { [3, 4, 6].contains($0) }

    @Test func aPhraseWaitsForItsWordToEnd() {
        let graph = ContextGraph(phrases: [[1, 2, 3]], scores: [2], defaultScore: 1.5, continuesWord: Self.continuesWord)
        // Complete after 3; a new word (5) keeps the bonus.
        let kept = walk(graph, [1, 2, 3, 5])
        #expect(kept.map(\.0) == [2, 2, 2, 0])
        #expect(kept[2].1 < 0 && kept[3].1 == ContextGraph.root)
        // The end of the audio keeps it too: a completed phrase gives nothing back.
        #expect(graph.partialBonus(at: kept[2].1) == 0)
        // A piece that continues the word (4) takes the whole phrase back.
        let broken = walk(graph, [1, 2, 3, 4])
        #expect(broken.map(\.0) == [2, 2, 2, -6])
        #expect(broken[3].1 == ContextGraph.root)
        // Without the flags, the phrase completes at its last token, as in sherpa-onnx.
        let sherpa = ContextGraph(phrases: [[1, 2, 3]], scores: [2], defaultScore: 1.5)
        #expect(walk(sherpa, [1, 2, 3, 4]).map(\.0) == [2, 2, 2, 0])
    }

    @Test func aLongerPhraseGoesOnWithinTheWord() {
        // [1 2] with 1 and [1 2 4] with 2: after 1 2 the shorter one is complete; 4 completes the
        // longer one, 6 then breaks it.
        let graph = ContextGraph(phrases: [[1, 2], [1, 2, 4]], scores: [1, 2], defaultScore: 1.5, continuesWord: Self.continuesWord)
        let steps = walk(graph, [1, 2, 4, 6])
        #expect(steps.map(\.0) == [2, 2, 2, -6])
        // A new word starts another phrase from the completed one.
        #expect(walk(graph, [1, 2, 1]).map(\.0) == [2, 2, 2])
    }

    /// The best token that leaves a path outside every match is the one a token-by-token `forward`
    /// finds, from every kind of state; the marks come back all false.
    @Test(arguments: [[], Self.continuesWord])
    func bestTokenOutsideMatchesAgreesWithForward(continuesWord: [Bool]) {
        let graph = ContextGraph(phrases: [[1, 2, 3, 4], [2, 3], [5], [1, 6], [5, 6]], scores: [1, 2, 0, -0.5, 1], defaultScore: 1.5,
                                 continuesWord: continuesWord)
        let states = [ContextGraph.root] + [[1], [1, 2], [1, 2, 3], [2], [1, 6, 1], [5], [1, 6]].map { walk(graph, $0).last!.1 }
        var generator = SplitMix(seed: 9)
        var marks = [Bool](repeating: false, count: 9)
        for state in states {
            for _ in 0..<20 {
                let scores = (0..<9).map { _ in Float(generator.nextUnit()) }
                let best = scores.withUnsafeBufferPointer { scores in
                    marks.withUnsafeMutableBufferPointer {
                        graph.bestTokenOutsideMatches(from: state, scores: scores, blank: 0, unknown: 8, marks: $0)
                    }
                }
                let outside = (0..<9).filter { token in
                    graph.isOutsideMatches(token == 0 || token == 8 ? state : graph.forward(from: state, token: token).state)
                }
                #expect(best == outside.max { scores[$0] < scores[$1] }, "state \(state)")
                #expect(!marks.contains(true))
            }
        }
    }

    /// The row of bonuses the search adds before pruning equals one `forward` per token, from the
    /// root, from every state inside a phrase and from completed phrases, blank and `<unk>` left alone.
    @Test(arguments: [[], Self.continuesWord])
    func bonusesOfARowEqualForwardPerToken(continuesWord: [Bool]) {
        let graph = ContextGraph(phrases: [[1, 2, 3, 4], [2, 3], [5], [1, 6], [5, 6]], scores: [1, 2, 0, -0.5, 1], defaultScore: 1.5,
                                 continuesWord: continuesWord)
        let states = [ContextGraph.root] + [[1], [1, 2], [1, 2, 3], [2], [1, 6, 1], [5], [1, 6]].map { walk(graph, $0).last!.1 }
        #expect(states.contains { $0 < 0 } == !continuesWord.isEmpty)
        for state in states {
            var row = [Float](repeating: -1, count: 9)
            var scratch = [Float](repeating: 0, count: 9)
            row.withUnsafeMutableBufferPointer { scores in
                scratch.withUnsafeMutableBufferPointer { graph.addBonuses(from: state, to: scores, blank: 0, unknown: 8, row: $0) }
            }
            let expected = (0..<9).map { token -> Float in
                token == 0 || token == 8 ? -1 : -1 + graph.forward(from: state, token: token).score
            }
            #expect(row == expected, "state \(state)")
        }
    }
}

@Suite struct HotwordFileTests {
    @Test func readsPhrasesAndScores() throws {
        let list = try Hotword.list(parsing: "HELLO WORLD :2.5\n\n  lobster  \r\nNEW   YORK\t:-1\n", source: "h.txt")
        #expect(list == [Hotword("HELLO WORLD", score: 2.5, origin: "h.txt:1"), Hotword("lobster", origin: "h.txt:3"),
                         Hotword("NEW YORK", score: -1, origin: "h.txt:4")])
    }

    @Test(arguments: [("A :x\n", "h.txt:1: bad score ':x' (expected ':' and a number)"),
                      ("A\n:2\n", "h.txt:2: a score without a phrase"),
                      ("A :1 B\n", "h.txt:1: the score must come after the phrase"),
                      ("A :1 :2\n", "h.txt:1: more than one score"),
                      ("A :inf\n", "h.txt:1: bad score ':inf' (expected ':' and a number)")])
    func reportsFileAndLine(text: String, message: String) {
        #expect { try Hotword.list(parsing: text, source: "h.txt") } throws: { "\($0)" == message }
    }

    @Test func reportsAnUnreadableFile() {
        #expect { try Hotword.list(contentsOfFile: "/nonexistent/hotwords.txt") } throws: {
            "\($0)" == "/nonexistent/hotwords.txt: cannot read file"
        }
    }
}

/// Transcripts with hotwords equal sherpa-onnx's (tools/make-hotword-transcripts.py), and the
/// library's hotword errors. Skipped when the model is not present.
@Suite(.enabled(if: Fixtures.modelDirectory != nil)) struct HotwordTranscriptTests {
    struct Reference: Decodable {
        struct File: Decodable { let text: String; let tokens: [Int] }
        struct Run: Decodable { let hotwords_score: Float; let files: [String: File] }
        let arithmetic: String
        let hotwords: [String]
        let runs: [Run]
    }

    func reference() throws -> Reference {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("RecognizerTests", "hotword-transcripts.json")))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    /// In sherpa-onnx's order (bonuses after pruning) the transcripts are sherpa-onnx's.
    @Test func transcriptsEqualSherpaOnnx() throws {
        let reference = try reference()
        let hotwords = try Hotword.list(parsing: reference.hotwords.joined(separator: "\n"), source: "fixture")
        let arithmetic = try #require(ReferenceArithmetic(name: reference.arithmetic))
        // sherpa-onnx's features: no dither.
        let plain = try Recognizer(modelDirectory: Fixtures.modelDirectory!,
                                   configuration: .init(decoding: .modifiedBeam(paths: 4), dither: 0, compileOptions: .init(arithmetic: arithmetic),
                                                        hotwordScoring: .afterPruning))
        var changed = 0
        for run in reference.runs {
            let configuration = RecognizerConfiguration(decoding: .modifiedBeam(paths: 4), dither: 0, compileOptions: .init(arithmetic: arithmetic),
                                                        hotwords: hotwords, hotwordsScore: run.hotwords_score,
                                                        hotwordScoring: .afterPruning)
            let recognizer = try Recognizer(modelDirectory: Fixtures.modelDirectory!, configuration: configuration)
            for (name, expected) in run.files.sorted(by: { $0.key < $1.key }) {
                let result = try recognizer.transcribe(path: Fixtures.audio(name))
                #expect(result.tokens == expected.tokens, "\(name) at \(run.hotwords_score)")
                #expect(result.text == expected.text, "\(name) at \(run.hotwords_score)")
                // Per stream, the same hotwords give the same result.
                let stream = try plain.makeStream(hotwords: hotwords)
                try stream.accept(try AudioFileReader(path: Fixtures.audio(name), targetSampleRate: 16000).readAll())
                try stream.inputFinished()
                if run.hotwords_score == 1.5 { #expect(stream.partialResult.tokens == expected.tokens, "\(name) per stream") }
                if try plain.transcribe(path: Fixtures.audio(name)).tokens != expected.tokens { changed += 1 }
            }
        }
        // The hotwords do change transcripts, so equality above tests the bonus, not only the search.
        #expect(changed > 0)
    }

    @Test func hotwordsNeedBeamSearchAndKnownPieces() throws {
        #expect {
            try Recognizer(modelDirectory: Fixtures.modelDirectory!,
                           configuration: .init(decoding: .greedy, hotwords: [Hotword("HELLO")]))
        } throws: { "\($0)" == "hotwords: hotwords need beam search (modified beam), not greedy" }
        let recognizer = try Recognizer(modelDirectory: Fixtures.modelDirectory!)
        #expect { try recognizer.makeStream(hotwords: [Hotword("日本", origin: "h.txt:3")]) } throws: {
            "\($0)" == "h.txt:3: '日本' has no piece in the model's vocabulary"
        }
        // Lower case is matched to this model's upper-case pieces.
        _ = try recognizer.makeStream(hotwords: [Hotword("lobster")])
    }
}
