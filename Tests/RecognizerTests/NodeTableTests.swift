import Recognizer
import Testing

/// The language model's open-addressing table against a `Dictionary` holding the same keys.
@Suite struct NodeTableTests {
    @Test(arguments: [0, 1, 1_000])
    func findsWhatItHoldsAndNothingElse(reserved: Int) {
        var generator = SystemRandomNumberGenerator()
        var table = NodeTable(minimumCapacity: reserved)
        var expected: [UInt64: Int32] = [:]
        // Edge keys, then random ones, many sharing their high or low half as trie keys do.
        var keys: [UInt64] = [0, 1, .max, 1 << 32, UInt64(UInt32.max)]
        for _ in 0..<50_000 {
            let node = UInt64.random(in: 0..<300, using: &generator)
            keys.append(node << 32 | UInt64.random(in: 0..<UInt64(UInt32.max), using: &generator))
        }
        for key in keys {
            let node = Int32(expected.count)
            #expect(table.insert(node, for: key) == (expected[key] == nil))
            if expected[key] == nil { expected[key] = node }
        }
        #expect(table.count == expected.count)
        for (key, node) in expected { #expect(table[key] == node) }
        for _ in 0..<50_000 {
            let key = UInt64.random(in: 0...UInt64.max, using: &generator)
            #expect(table[key] == expected[key])
        }
    }
}
