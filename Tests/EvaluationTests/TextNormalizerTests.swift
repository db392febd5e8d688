import Evaluation
import Testing

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
