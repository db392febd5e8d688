import Foundation
import Recognizer
import TestSupport
import Testing

@Suite struct TokenTableTests {
    @Test func readsPiecesAndFindsUnknown() throws {
        let table = try TokenTable(contents: "<blk> 0\n<sos/eos> 1\n<unk> 2\n\u{2581}HELLO 3\nS 4\n\u{2581} 5\n", path: "t.txt")
        #expect(table.count == 6)
        #expect(table.unknownID == 2)
        #expect(table.piece(3) == "\u{2581}HELLO")
        #expect(table.piece(6) == nil)
        #expect(table.startsWord(3) && !table.startsWord(4))
        #expect(table.text(of: [3, 4, 2, 5, 3]) == "HELLOS  HELLO")
        #expect(table.text(of: []) == "")
    }

    @Test func knowsWhichPiecesContinueAWord() {
        let mixed = TokenTable(pieces: ["<blk>", "<sos/eos>", "<unk>", "\u{2581}LOB", "STER", "'S", "\u{2581}", "你", "ア"])
        #expect(mixed.continuesWord == [false, false, false, false, true, true, false, false, false])
        // A table without `▁` does not mark words: no piece is known to continue one.
        #expect(TokenTable(pieces: ["<blk>", "你", "好"]).continuesWord == [false, false, false])
    }

    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) func readsTheModelTable() throws {
        let directory = Fixtures.modelDirectory!
        let table = try TokenTable(path: directory + "/tokens.txt")
        #expect(table.count == 500)
        #expect(table.unknownID == 2)
        #expect(table.piece(5) == "\u{2581}THE")
    }

    @Test func reportsTheFileAndLineOfABadEntry() {
        #expect { try TokenTable(contents: "<blk> 0\nbroken\n", path: "tokens.txt") } throws: {
            "\($0)" == "tokens.txt: line 2: expected 'piece id'"
        }
        #expect { try TokenTable(contents: "<blk> 0\nA 0\n", path: "x") } throws: { "\($0)".contains("appears twice") }
        #expect { try TokenTable(contents: "<blk> 0\nA 5\n", path: "x") } throws: { "\($0)".contains("ids are not") }
        #expect { try TokenTable(path: "/nonexistent/tokens.txt") } throws: {
            "\($0)" == "/nonexistent/tokens.txt: cannot read file"
        }
    }
}

@Suite struct WordAssemblerTests {
    let table = TokenTable(pieces: ["<blk>", "<sos/eos>", "<unk>", "\u{2581}HE", "\u{2581}RA", "IS", "E", "\u{2581}", "D", "\u{2581}B"])

    @Test func groupsPiecesAtWordBoundariesWithTimes() {
        let assembler = WordAssembler(tokens: table, frameDuration: 0.04)
        let words = assembler.words(of: [3, 4, 5, 6, 7, 8, 9], times: [0.48, 0.68, 0.84, 0.92, 1.44, 1.48, 1.76])
        #expect(words == [
            RecognizedWord(text: "HE", start: 0.48, end: 0.68),
            RecognizedWord(text: "RAISE", start: 0.68, end: 1.44),
            RecognizedWord(text: "D", start: 1.44, end: 1.76),
            RecognizedWord(text: "B", start: 1.76, end: 1.80),
        ])
    }

    @Test func aLeadingPieceWithoutBoundaryStillStartsAWordAndUnknownIsDropped() {
        let assembler = WordAssembler(tokens: table, frameDuration: 0.04)
        let words = assembler.words(of: [5, 2, 6, 7], times: [0.1, 0.2, 0.3, 0.4])
        #expect(words == [RecognizedWord(text: "ISE", start: 0.1, end: 0.4)])
        #expect(assembler.words(of: [], times: []) == [])
    }
}
