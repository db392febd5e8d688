/// sentencepiece's text normalizer: the precompiled character map (longest-prefix rewrite rules in a
/// darts-clone double-array trie, e.g. NFKC), user-defined symbols kept whole, then whitespace: leading,
/// trailing and repeated spaces dropped, a `▁` prefix added and spaces written as `▁`.
struct SentencePieceNormalizer: Sendable {
    /// The trie's units (darts-clone's 32-bit layout).
    private let units: [UInt32]
    /// NUL-terminated replacement strings the trie's values point into.
    private let replacements: [UInt8]
    /// User-defined pieces, matched before the map so they pass through unchanged.
    private let userDefined: [[UInt8]]
    private let addsDummyPrefix: Bool
    private let removesExtraWhitespace: Bool
    private let escapesWhitespace: Bool
    private let treatsWhitespaceAsSuffix: Bool

    static let spaceSymbol: [UInt8] = Array("\u{2581}".utf8)
    /// A value unit's value bits (darts-clone).
    private static let valueMask: UInt32 = (1 << 31) - 1
    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]

    init(model: SentencePieceModel) throws {
        let map = model.precompiledCharacterMap
        if map.isEmpty {
            units = []
            replacements = []
        } else {
            guard map.count > 4 else { throw SentencePieceNormalizerError.brokenMap }
            let trieSize = Int(map[0]) | Int(map[1]) << 8 | Int(map[2]) << 16 | Int(map[3]) << 24
            guard trieSize < map.count, trieSize % 4 == 0 else { throw SentencePieceNormalizerError.brokenMap }
            let units: [UInt32] = stride(from: 4, to: 4 + trieSize, by: 4).map {
                UInt32(map[$0]) | UInt32(map[$0 + 1]) << 8 | UInt32(map[$0 + 2]) << 16 | UInt32(map[$0 + 3]) << 24
            }
            let replacements = Array(map[(4 + trieSize)...])
            // Value units (the top bit set) must point into the replacements: darts-clone checks
            // nothing, and sentencepiece would read past the map.
            let valueMask = Self.valueMask
            guard units.allSatisfy({ $0 >> 31 == 0 || Int($0 & valueMask) < replacements.count }) else {
                throw SentencePieceNormalizerError.brokenMap
            }
            self.units = units
            self.replacements = replacements
        }
        userDefined = model.pieces.filter { $0.type == .userDefined }.map { Array($0.text.utf8) }
        addsDummyPrefix = model.addsDummyPrefix
        removesExtraWhitespace = model.removesExtraWhitespace
        escapesWhitespace = model.escapesWhitespace
        treatsWhitespaceAsSuffix = model.treatsWhitespaceAsSuffix
    }

    /// The normalized UTF-8 bytes of `input`.
    func normalize(_ input: [UInt8]) -> [UInt8] {
        var position = 0
        if removesExtraWhitespace {
            while position < input.count {
                let (replacement, length) = prefix(of: input, at: position)
                guard replacement == [UInt8(ascii: " ")] else { break }
                position += length
            }
        }
        guard position < input.count else { return [] }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3)
        let space: [UInt8] = escapesWhitespace ? Self.spaceSymbol : [UInt8(ascii: " ")]
        if !treatsWhitespaceAsSuffix && addsDummyPrefix { output += space }
        var previousIsSpace = removesExtraWhitespace
        while position < input.count {
            let (replacement, length) = prefix(of: input, at: position)
            var piece = replacement[...]
            while previousIsSpace, piece.first == UInt8(ascii: " ") { piece = piece.dropFirst() }
            if !piece.isEmpty {
                for byte in piece {
                    if escapesWhitespace && byte == UInt8(ascii: " ") { output += Self.spaceSymbol } else { output.append(byte) }
                }
                previousIsSpace = piece.last == UInt8(ascii: " ")
            }
            position += length
            if !removesExtraWhitespace { previousIsSpace = false }
        }
        if removesExtraWhitespace {
            while output.count >= space.count && Array(output.suffix(space.count)) == space {
                output.removeLast(space.count)
            }
        }
        if treatsWhitespaceAsSuffix && addsDummyPrefix { output += space }
        return output
    }

    /// The rewrite of the longest rule matching at `position` and the input bytes it consumes: a
    /// user-defined piece as is, else the map's longest match, else one UTF-8 character (a malformed
    /// byte becomes U+FFFD and consumes one byte).
    private func prefix(of input: [UInt8], at position: Int) -> ([UInt8], Int) {
        var longestUserDefined = 0
        for symbol in userDefined where symbol.count > longestUserDefined && input.count - position >= symbol.count
            && input[position..<(position + symbol.count)].elementsEqual(symbol) {
            longestUserDefined = symbol.count
        }
        if longestUserDefined > 0 {
            return (Array(input[position..<(position + longestUserDefined)]), longestUserDefined)
        }
        if let (length, value) = longestMatch(in: input, at: position) {
            var end = value
            while end < replacements.count && replacements[end] != 0 { end += 1 }
            return (Array(replacements[value..<end]), length)
        }
        let length = Self.validCharacterLength(input, at: position)
        if length == 0 { return (Self.replacementCharacter, 1) }
        return (Array(input[position..<(position + length)]), length)
    }

    /// darts-clone's common-prefix search, keeping the longest match: (bytes matched, value).
    private func longestMatch(in input: [UInt8], at position: Int) -> (Int, Int)? {
        guard !units.isEmpty else { return nil }
        func offset(_ unit: UInt32) -> Int { Int((unit >> 10) << ((unit & (1 << 9)) >> 6)) }
        func label(_ unit: UInt32) -> UInt32 { unit & ((1 << 31) | 0xFF) }
        func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }
        var best: (Int, Int)?
        var node = offset(units[0])
        for index in position..<input.count {
            let byte = input[index]
            node ^= Int(byte)
            guard node < units.count, label(units[node]) == UInt32(byte) else { break }
            let unit = units[node]
            node ^= offset(unit)
            if hasLeaf(unit) {
                // A well-formed trie's leaf always leads to a value unit; a broken one ends the match.
                guard node < units.count, units[node] >> 31 == 1 else { break }
                best = (index - position + 1, Int(units[node] & Self.valueMask))
            }
        }
        return best
    }

    /// Bytes of the well-formed UTF-8 character at `position`, 0 if malformed (sentencepiece's
    /// `IsValidDecodeUTF8`: shortest forms only, no surrogates, at most U+10FFFF).
    static func validCharacterLength(_ bytes: [UInt8], at position: Int) -> Int {
        let first = bytes[position]
        let available = bytes.count - position
        func continuation(_ index: Int) -> UInt32? {
            let byte = bytes[position + index]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        if first < 0x80 { return 1 }
        if first & 0xE0 == 0xC0, available >= 2, let b1 = continuation(1) {
            let scalar = UInt32(first & 0x1F) << 6 | b1
            return scalar >= 0x80 ? 2 : 0
        }
        if first & 0xF0 == 0xE0, available >= 3, let b1 = continuation(1), let b2 = continuation(2) {
            let scalar = UInt32(first & 0x0F) << 12 | b1 << 6 | b2
            return scalar >= 0x800 && !(0xD800...0xDFFF).contains(scalar) ? 3 : 0
        }
        if first & 0xF8 == 0xF0, available >= 4, let b1 = continuation(1), let b2 = continuation(2), let b3 = continuation(3) {
            let scalar = UInt32(first & 0x07) << 18 | b1 << 12 | b2 << 6 | b3
            return scalar >= 0x10000 && scalar <= 0x10FFFF ? 4 : 0
        }
        return 0
    }
}

enum SentencePieceNormalizerError: Error {
    case brokenMap
}
