import Foundation

// libFuzzer harness: a sentencepiece model file (`bpe.model`, which `--hotwords` reads to spell
// phrases): the protobuf, the pieces, the precompiled normalization map, then texts encoded with it.
// A file either loads and every text encodes to pieces of the model, or it is refused with one line
// that names the file.

private let path: String = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-fuzz-bpe-models-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("bpe.model").path
}()

/// Texts that reach the normalizer's paths: plain words, spaces to collapse, characters an NFKC map
/// rewrites, a character no piece covers and broken UTF-8.
private let texts: [String] = [
    "THE WEATHER TODAY", "  call  me   back ", "Ｆｕｌｌ ｗｉｄｔｈ ① ㌔", "日本 ▁ x\u{0301}", "",
    String(decoding: [0x41, 0xC3, 0x28, 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0x42], as: UTF8.self),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    try? Data(bytes: data, count: size).write(to: URL(fileURLWithPath: path))
    let tokenizer: SentencePieceTokenizer
    do {
        tokenizer = try SentencePieceTokenizer(modelPath: path)
    } catch {
        let line = "\(error)"
        precondition(error is SentencePieceModelError && line.hasPrefix(path + ": ") && !line.contains("\n"))
        return 0
    }
    // The model's own pieces run together, so the lattice has long matches to choose between.
    let ownPieces = tokenizer.model.pieces.prefix(64).map(\.text).joined()
    for text in texts + [ownPieces] {
        for (_, id) in tokenizer.encode(text) {
            precondition(tokenizer.model.pieces.indices.contains(id))
        }
    }
    return 0
}
