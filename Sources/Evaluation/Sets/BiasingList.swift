import Foundation

/// Per-utterance biasing lists in the format of the LibriSpeech contextual-biasing benchmark (Le et
/// al. 2021, facebookresearch/fbai-speech `is21_deep_bias`): one line per utterance,
/// `id<TAB>reference<TAB>["rare", "words"]<TAB>["biasing", "list", ...]` with JSON string arrays.
/// The rare words decide which reference words count for B-WER; the biasing list (the rare words
/// plus distractors) is what the utterance is decoded with.
public struct BiasingList: Sendable {
    public struct Entry: Hashable, Sendable {
        /// The benchmark's reference, lower case, scored as its `score.py` does (split on spaces).
        public var reference: String
        public var rareWords: [String]
        public var biasingWords: [String]
        public var source: SourceLocation

        public init(reference: String, rareWords: [String], biasingWords: [String], source: SourceLocation) {
            self.reference = reference
            self.rareWords = rareWords
            self.biasingWords = biasingWords
            self.source = source
        }
    }

    public var path: String
    /// Entries by utterance id.
    public var entries: [String: Entry]

    /// Reads the file; the first malformed line throws, naming file and line.
    public init(path: String) throws {
        self.path = path
        let lines = try NumberedLines(path: path)
        var entries: [String: Entry] = [:]
        for (number, text) in lines.lines {
            let location = lines.location(number)
            let fields = text.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4 else {
                throw TestSetError(path: location.description, reason: "expected 4 tab-separated fields (id, reference, rare words, biasing list), found \(fields.count)")
            }
            let id = fields[0].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { throw TestSetError(path: location.description, reason: "empty utterance id") }
            guard let rare = Self.words(fields[2]) else {
                throw TestSetError(path: location.description, reason: "the rare words are not a JSON array of strings")
            }
            guard let biasing = Self.words(fields[3]) else {
                throw TestSetError(path: location.description, reason: "the biasing list is not a JSON array of strings")
            }
            if let first = entries[id] {
                throw TestSetError(path: location.description, reason: "duplicate id '\(id)' (first at \(first.source))")
            }
            entries[id] = Entry(reference: String(fields[1]), rareWords: rare, biasingWords: biasing, source: location)
        }
        self.entries = entries
    }

    private static func words(_ field: Substring) -> [String]? {
        guard let data = field.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [Any] else { return nil }
        let words = array.compactMap { $0 as? String }
        return words.count == array.count ? words : nil
    }
}
