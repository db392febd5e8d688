import Foundation

// libFuzzer harness: the decoding files users hand in. First byte mod 3 = 0: a hotwords file
// (sherpa-onnx's format), its phrases spelled with a small token table (VocabularySegmenter), then a
// context graph over them (bytes as tokens) walked by the input, with each state's row of bonuses; 1: a contextual-biasing TSV (Le et al. 2021), then U-/B-WER counts of each entry's
// reference against its biasing list; 2: an ARPA language model, then a sentence of its words scored.

private let tokens = TokenTable(pieces: ["<blk>", "<unk>", "\u{2581}", "\u{2581}A", "A", "B", "AB", "\u{2581}AB", "BA", "'", "\u{2581}日本"])
private let segmenter = VocabularySegmenter(tokens: tokens)

private let directory: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("asr-fuzz-decoding-lists-\(getpid())")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let body = Data(bytes: data + 1, count: size - 1)
    let file = directory.appendingPathComponent("list")
    try? body.write(to: file)
    switch data[0] % 3 {
    case 0:
        guard let hotwords = try? Hotword.list(contentsOfFile: file.path) else { return 0 }
        for hotword in hotwords { _ = segmenter.split(hotword.phrase) }
        // Tokens from the phrase bytes (a small alphabet, so phrases share prefixes and suffixes).
        let phrases = hotwords.map { $0.phrase.utf8.map { Int($0 % 8) + 1 } }
        let graph = ContextGraph(phrases: phrases, scores: hotwords.map { $0.score ?? 0 }, defaultScore: 1.5)
        var state = ContextGraph.root
        var total: Float = 0
        var row = [Float](repeating: 0, count: 9)
        var scratch = row
        for byte in body {
            row.withUnsafeMutableBufferPointer { scores in
                scratch.withUnsafeMutableBufferPointer { graph.addBonuses(from: state, to: scores, blank: 0, unknown: 8, row: $0) }
            }
            let step = graph.forward(from: state, token: Int(byte % 9))
            total += step.score
            state = step.state
        }
        _ = total
    case 1:
        guard let list = try? BiasingList(path: file.path) else { return 0 }
        for entry in list.entries.values {
            _ = BiasedWordCounts(reference: entry.reference.split(separator: " ").map(String.init),
                                 hypothesis: entry.biasingWords, rareWords: Set(entry.rareWords))
        }
    default:
        guard let model = try? ARPAReader.read(path: file.path) else { return 0 }
        var state = model.startState
        for word in model.words + ["never-a-word"] {
            state = model.score(model.word(hash: NGramLanguageModel.hash(word.utf8)), after: state).state
        }
        _ = model.endScore(after: state)
    }
    return 0
}
