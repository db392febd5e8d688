import Foundation

// libFuzzer harness: the two files that turn text into a model's token ids, each given the input's
// bytes. As a sentencepiece model (`bpe.model`, which `--hotwords` reads to spell phrases): the
// protobuf, the pieces, the precompiled normalization map, then texts encoded with it. As a token
// table (`tokens.txt`): its lines, then the same texts spelled with its pieces (hotwords without
// `bpe.model`) and the table's text of every id. A file either loads and every text maps to ids of
// that file, or it is refused with one line that names the file.

private let path: String = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-fuzz-tokenizer-files-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("tokens").path
}()

/// Texts that reach the normalizer's paths: plain words, spaces to collapse, characters an NFKC map
/// rewrites, a character no piece covers and broken UTF-8.
private let texts: [String] = [
    "THE WEATHER TODAY", "  call  me   back ", "Ｆｕｌｌ ｗｉｄｔｈ ① ㌔", "日本 ▁ x\u{0301}", "",
    String(decoding: [0x41, 0xC3, 0x28, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x42], as: UTF8.self),
]

/// One line naming the file.
private func checkRefusal(_ error: Error) {
    let line = "\(error)"
    precondition(line.hasPrefix(path + ": ") && !line.contains("\n"))
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    try? Data(bytes: data, count: size).write(to: URL(fileURLWithPath: path))
    do {
        let tokenizer = try SentencePieceTokenizer(modelPath: path)
        // The model's own pieces run together, so the lattice has long matches to choose between.
        let ownPieces = tokenizer.model.pieces.prefix(64).map(\.text).joined()
        for text in texts + [ownPieces] {
            for (_, id) in tokenizer.encode(text) {
                precondition(tokenizer.model.pieces.indices.contains(id))
            }
        }
    } catch {
        precondition(error is SentencePieceModelError)
        checkRefusal(error)
    }
    do {
        let table = try TokenTable(path: path)
        let segmenter = VocabularySegmenter(tokens: table)
        for text in texts + [table.pieces.prefix(64).joined(separator: " ")] {
            if case .success(let ids) = segmenter.split(text) { precondition(ids.allSatisfy(table.pieces.indices.contains)) }
        }
        _ = table.text(of: Array(table.pieces.indices))
    } catch {
        precondition(error is TokenTableError)
        checkRefusal(error)
    }
    return 0
}
