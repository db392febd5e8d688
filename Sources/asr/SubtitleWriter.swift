import Recognizer

/// Subtitles from word times (`transcribe --format srt|vtt`): cues of whole words, at most 42
/// characters and 7 seconds each, the usual limits of subtitle guidelines, and a new cue after a
/// pause. A word's end is the next word's start, so across a pause it is taken as at most one
/// second after its own start: the cue leaves the screen while nobody speaks.
enum SubtitleWriter {
    enum Format { case srt, vtt }

    struct Cue: Equatable {
        var start: Double
        var end: Double
        var text: String
    }

    static let maximumCharacters = 42
    static let maximumSeconds = 7.0
    /// Longest a single word is assumed to last, and the silence that starts a new cue.
    static let maximumWordSeconds = 1.0
    static let pauseSeconds = 0.5

    /// Words grouped into cues in order; a word that alone is too long is a cue of its own.
    static func cues(_ words: [RecognizedWord]) -> [Cue] {
        var cues: [Cue] = []
        for word in words {
            let end = min(word.end, word.start + maximumWordSeconds)
            if var last = cues.last, last.text.count + 1 + word.text.count <= maximumCharacters,
               end - last.start <= maximumSeconds, word.start - last.end <= pauseSeconds {
                last.text += " " + word.text
                last.end = end
                cues[cues.count - 1] = last
            } else {
                cues.append(Cue(start: word.start, end: end, text: word.text))
            }
        }
        return cues
    }

    static func document(_ words: [RecognizedWord], format: Format) -> String {
        var lines: [String] = format == .vtt ? ["WEBVTT", ""] : []
        for (index, cue) in cues(words).enumerated() {
            if format == .srt { lines.append("\(index + 1)") }
            lines.append("\(timestamp(cue.start, format)) --> \(timestamp(cue.end, format))")
            lines.append(cue.text)
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (WebVTT).
    static func timestamp(_ seconds: Double, _ format: Format) -> String {
        let milliseconds = max(0, Int((seconds * 1000).rounded()))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = String(milliseconds % 1000 + 1000).dropFirst()
        let clock = "\(two(milliseconds / 3_600_000)):\(two(milliseconds / 60_000 % 60)):\(two(milliseconds / 1000 % 60))"
        return clock + (format == .srt ? "," : ".") + fraction
    }
}
