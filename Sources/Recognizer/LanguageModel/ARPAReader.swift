import Foundation

/// Reads an ARPA back-off language model (as KenLM's `lmplz` writes it, any order) into an
/// `NGramLanguageModel`, streaming the file in blocks so a large model is never held twice as text.
/// A malformed file stops at its first bad line, named with its number.
public enum ARPAReader {
    public static func read(path: String) throws -> NGramLanguageModel {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw LanguageModelError(origin: path, cause: "cannot read file")
        }
        defer { try? handle.close() }
        let byteCount = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.intValue ?? Int(Int32.max)
        var parser = Parser(path: path, byteCount: byteCount)
        var pending: [UInt8] = []
        while true {
            let block: Data
            do {
                block = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw LanguageModelError(origin: path, cause: "cannot read file")
            }
            let isLast = block.isEmpty
            pending.append(contentsOf: block)
            if isLast { pending.append(UInt8(ascii: "\n")) }
            // Whole lines only; the rest waits for the next block.
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            try pending.withUnsafeBufferPointer { bytes in
                var start = 0
                while start <= lastNewline {
                    var end = start
                    while bytes[end] != UInt8(ascii: "\n") { end += 1 }
                    try parser.line(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    start = end + 1
                }
            }
            pending.removeFirst(lastNewline + 1)
            if isLast { break }
        }
        return try parser.finish()
    }

    /// The state machine over the file's lines: `\data\` counts, then each `\N-grams:` section.
    private struct Parser {
        enum Section { case preamble, counts, ngrams(Int), end }

        let path: String
        /// The file's size: an n-gram line takes at least 4 bytes, so no header may announce more
        /// n-grams than a quarter of it (nothing is reserved for counts a file cannot hold).
        let byteCount: Int
        var lineNumber = 0
        var section = Section.preamble
        var expectedCounts: [Int] = []
        var seenCounts: [Int] = []
        var words: [String] = []
        var wordIDs = NodeTable()
        var logProbabilities: [Float] = [0]
        var backoffs: [Float] = [0]
        var depths: [UInt8] = [0]
        var parents: [Int32] = [-1]
        var lastWords: [Int32] = [-1]
        var children = NodeTable()
        var fields: [Range<Int>] = []
        /// The last n-gram's leading words (by hash) and the trie nodes they lead to: files list
        /// n-grams sorted, so consecutive lines mostly share their first words, which then need
        /// no lookups in the big tables.
        var sharedHashes: [UInt64] = []
        var sharedContexts: [Int32] = []

        init(path: String, byteCount: Int) {
            self.path = path
            self.byteCount = byteCount
        }

        func error(_ cause: String) -> LanguageModelError {
            LanguageModelError(origin: "\(path):\(lineNumber)", cause: cause)
        }

        mutating func line(_ raw: UnsafeBufferPointer<UInt8>) throws {
            lineNumber += 1
            var bytes = raw
            if bytes.last == UInt8(ascii: "\r") { bytes = UnsafeBufferPointer(rebasing: bytes.dropLast()) }
            fields.removeAll(keepingCapacity: true)
            var index = 0
            while index < bytes.count {
                while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
                let start = index
                while index < bytes.count && bytes[index] != 0x20 && bytes[index] != 0x09 { index += 1 }
                if index > start { fields.append(start..<index) }
            }
            if fields.isEmpty { return }
            // Most lines are n-grams: they are read from their bytes, without making strings.
            if case .ngrams(let order) = section, bytes[fields[0].lowerBound] != UInt8(ascii: "\\") {
                try ngram(order: order, bytes: bytes)
                return
            }
            func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
            let first = text(fields[0])
            switch section {
            case .preamble:
                guard first == "\\data\\" else { return }  // Text before \data\ is a comment.
                section = .counts
            case .counts:
                if first == "ngram" {
                    let rest = fields.count == 2 ? text(fields[1]) : ""
                    let parts = rest.split(separator: "=")
                    guard parts.count == 2, let order = Int(parts[0]), let count = Int(parts[1]), count >= 0,
                          order == expectedCounts.count + 1 else {
                        throw error("expected 'ngram \(expectedCounts.count + 1)=COUNT'")
                    }
                    guard count <= byteCount / 4 - expectedCounts.reduce(0, +) else {
                        throw error("'ngram \(order)=\(count)' announces more n-grams than a file of \(byteCount) bytes holds")
                    }
                    expectedCounts.append(count)
                } else {
                    try startSection(first)
                }
            case .ngrams(let order):
                guard seenCounts[order - 1] == expectedCounts[order - 1] else {
                    throw error("\(order)-grams: the header says \(expectedCounts[order - 1]), found \(seenCounts[order - 1])")
                }
                try startSection(first)
            case .end:
                return
            }
        }

        mutating func startSection(_ header: String) throws {
            if header == "\\end\\" {
                guard seenCounts.count == expectedCounts.count, !expectedCounts.isEmpty else {
                    throw error("\\end\\ before every section the header announces")
                }
                section = .end
                return
            }
            let expectedOrder = seenCounts.count + 1
            guard header == "\\\(expectedOrder)-grams:", expectedOrder <= expectedCounts.count else {
                throw error(expectedOrder <= expectedCounts.count ? "expected '\\\(expectedOrder)-grams:'"
                            : (expectedCounts.isEmpty ? "no 'ngram N=COUNT' lines after \\data\\" : "expected '\\end\\'"))
            }
            guard expectedOrder <= Int(UInt8.max) else { throw error("order above \(UInt8.max)") }
            seenCounts.append(0)
            sharedHashes.removeAll()
            sharedContexts.removeAll()
            if expectedOrder == 1 {
                // Room for every n-gram the header announces at once: growing the big table section
                // by section would hold its old and new slots together, a higher peak.
                let total = 1 + expectedCounts.reduce(0, +)
                logProbabilities.reserveCapacity(total)
                backoffs.reserveCapacity(total)
                depths.reserveCapacity(total)
                parents.reserveCapacity(total)
                lastWords.reserveCapacity(total)
                children.reserveCapacity(total)
                words.reserveCapacity(expectedCounts[0])
                wordIDs.reserveCapacity(expectedCounts[0])
            }
            section = .ngrams(expectedOrder)
        }

        mutating func ngram(order: Int, bytes: UnsafeBufferPointer<UInt8>) throws {
            guard fields.count == order + 1 || fields.count == order + 2 else {
                throw error("expected a log10 probability, \(order) word\(order == 1 ? "" : "s") and an optional back-off weight")
            }
            guard let probability = Self.number(bytes, fields[0]) else { throw error("bad log10 probability") }
            var backoff: Float = 0
            if fields.count == order + 2 {
                guard let value = Self.number(bytes, fields[order + 1]) else { throw error("bad back-off weight") }
                backoff = value
            }
            var context = NGramLanguageModel.root
            var word: Int32 = 0
            for position in 1...order {
                let range = fields[position]
                let hash = NGramLanguageModel.hash(UnsafeBufferPointer(rebasing: bytes[range]))
                if position <= sharedHashes.count, position < order {
                    if sharedHashes[position - 1] == hash {
                        context = sharedContexts[position - 1]
                        continue
                    }
                    sharedHashes.removeSubrange((position - 1)...)
                    sharedContexts.removeSubrange((position - 1)...)
                }
                if order == 1 {
                    word = Int32(words.count)
                    guard wordIDs.insert(word, for: hash) else {
                        throw error("word '\(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))' listed twice")
                    }
                    words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                } else {
                    guard let id = wordIDs[hash] else {
                        throw error("word '\(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))' has no 1-gram")
                    }
                    word = id
                }
                if position < order {
                    guard let next = children[NGramLanguageModel.key(context, word)] else {
                        throw error("the \(order)-gram's first \(order - 1) words are not an n-gram of the file")
                    }
                    context = next
                    sharedHashes.append(hash)
                    sharedContexts.append(context)
                }
            }
            let key = NGramLanguageModel.key(context, word)
            guard children.insert(Int32(logProbabilities.count), for: key) else { throw error("\(order)-gram listed twice") }
            logProbabilities.append(probability)
            backoffs.append(backoff)
            depths.append(UInt8(order))
            parents.append(context)
            lastWords.append(word)
            seenCounts[order - 1] += 1
        }

        static func number(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Float? {
            guard let value = DecimalFloat.parse(UnsafeBufferPointer(rebasing: bytes[range])),
                  value.isFinite || value == -.infinity else { return nil }
            return value
        }

        func finish() throws -> NGramLanguageModel {
            guard case .end = section else {
                throw LanguageModelError(origin: path, cause: expectedCounts.isEmpty ? "not an ARPA file (no \\data\\ section)"
                                         : "ends before \\end\\")
            }
            return NGramLanguageModel(order: expectedCounts.count, words: words, wordsByHash: wordIDs,
                                      logProbabilities: logProbabilities,
                                      backoffs: backoffs, depths: depths, children: children, parents: parents,
                                      lastWords: lastWords)
        }
    }
}

/// A language model that cannot be read or used.
public struct LanguageModelError: Error, CustomStringConvertible {
    /// `file` or `file:line`.
    public let origin: String
    public let cause: String

    public init(origin: String, cause: String) {
        self.origin = origin
        self.cause = cause
    }

    public var description: String { "\(origin): \(cause)" }
}
