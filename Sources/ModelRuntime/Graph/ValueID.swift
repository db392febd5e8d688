/// A value of a graph (an initializer, a graph input, a node's output) by its index in the graph's
/// `ValueNames`. Compiling a large model looks values up hundreds of thousands of times; by index
/// each lookup is an array access, where a name would be hashed and compared every time.
struct ValueID: Hashable {
    let index: Int

    /// An omitted optional operand: ONNX's empty name.
    static let omitted = ValueID(index: 0)

    var isOmitted: Bool { index == 0 }
}

/// The names of one graph's values, each stored once and numbered in order of appearance; entry 0
/// is the empty name of an omitted operand. Shared by a graph and its specialized form, and only
/// added to while the graph is read and specialized, on one thread.
final class ValueNames: @unchecked Sendable {
    private var texts: [String] = [""]
    private var ids: [String: ValueID] = ["": .omitted]

    /// How many values have names: every `ValueID` of the graph is below this.
    var count: Int { texts.count }

    subscript(value: ValueID) -> String { texts[value.index] }

    /// The value named `text`, numbered now if it is new.
    func intern(_ text: String) -> ValueID {
        if let id = ids[text] { return id }
        let id = ValueID(index: texts.count)
        texts.append(text)
        ids[text] = id
        return id
    }

    /// The value named `text`, if the graph has one.
    func id(of text: String) -> ValueID? { ids[text] }
}
