import Evaluation
import Foundation
import Testing
import TestSupport

@Test(arguments: [
    ("He hoped there would be stew, for dinner!", "HE HOPED THERE WOULD BE STEW FOR DINNER"),
    ("I don't know", "I DON'T KNOW"),
    ("I don\u{2019}t know", "I DON'T KNOW"),
    ("'Tis James' book.", "TIS JAMES BOOK"),
    ("twenty-one cold-hearted", "TWENTY ONE COLD HEARTED"),
    ("  spaced\tout \n words ", "SPACED OUT WORDS"),
    ("\"Quoted\" (and) [bracketed]; yes: no?", "QUOTED AND BRACKETED YES NO"),
    ("U.S.A. and/or under_score", "U S A AND OR UNDER SCORE"),
    ("room 101", "ROOM 101"),
    ("caf\u{E9} na\u{EF}ve", "CAF\u{C9} NA\u{CF}VE"),
    ("'' -- ...", ""),
])
func normalization(raw: String, expected: String) {
    #expect(TextNormalizer().normalize(raw) == expected)
}

@Test func wordsAreTheNormalizedTextSplitOnSpaces() {
    #expect(TextNormalizer().words("Rock-and-roll, baby") == ["ROCK", "AND", "ROLL", "BABY"])
}

/// `tools/make-wer-golden.py` stores what the comparison script's `normalize()` makes of each line of
/// `normalization-cases.txt`; both sides of a comparison must score the same words.
@Test func normalizationMatchesTheComparisonScript() throws {
    struct Golden: Decodable {
        struct Case: Decodable { var raw: String, words: [String] }
        var normalization: [Case]
    }
    let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("EvaluationTests", "wer-golden.json")))
    let cases = try JSONDecoder().decode(Golden.self, from: data).normalization
    #expect(cases.count >= 10)
    for entry in cases {
        #expect(TextNormalizer().words(entry.raw) == entry.words, "\(entry.raw)")
    }
}
