import Foundation
import Recognizer

/// Prints results as `transcribe` promises: text lines or JSON lines, partials marked as such.
struct TranscriptWriter {
    let format: OutputFormat
    /// Whether lines start with the file path (several files).
    let showsPath: Bool

    func write(file: String, result: RecognitionResult, isFinal: Bool) {
        switch format {
        case .text:
            let text = isFinal ? result.text : "(partial) " + result.text
            print(showsPath ? "\(file)\t\(text)" : text)
        case .json:
            print(Self.jsonLine(file: file, result: result, isFinal: isFinal))
        }
        fflush(stdout)
    }

    static func jsonLine(file: String, result: RecognitionResult, isFinal: Bool) -> String {
        let line = TranscriptLine(
            file: file, final: isFinal, text: result.text,
            words: result.words.map { .init(word: $0.text, start: rounded($0.start), end: rounded($0.end)) },
            tokens: result.tokens, tokenTimes: result.tokenTimes.map(rounded))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(line) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Times to the millisecond: finer digits are float noise (tokens fall on a 40 ms grid).
    static func rounded(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }
}

/// One JSON line of `transcribe --format json`.
struct TranscriptLine: Encodable {
    struct Word: Encodable {
        let word: String
        let start: Double
        let end: Double
    }

    let file: String
    let final: Bool
    let text: String
    let words: [Word]
    let tokens: [Int]
    let tokenTimes: [Double]

    enum CodingKeys: String, CodingKey {
        case file, final, text, words, tokens
        case tokenTimes = "token_times"
    }
}
