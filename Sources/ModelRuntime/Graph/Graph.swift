/// An attribute value of a node, as the kernels need it.
enum AttributeValue {
    case int(Int)
    case ints([Int])
    case float(Float)
    case floats([Float])
    case string(String)
    case tensor(Tensor)
}

/// One operator application in the graph, in the runtime's own terms (no protobuf types).
struct Node {
    var name: String
    var opType: String
    var domain: String
    /// `ValueID.omitted` marks an omitted optional operand.
    var inputs: [ValueID]
    var outputs: [ValueID]
    var attributes: [String: AttributeValue]

    func int(_ key: String, default value: Int) -> Int {
        if case .int(let v)? = attributes[key] { return v }
        return value
    }

    func ints(_ key: String) -> [Int]? {
        if case .ints(let v)? = attributes[key] { return v }
        return nil
    }

    func float(_ key: String, default value: Float) -> Float {
        if case .float(let v)? = attributes[key] { return v }
        return value
    }

    func string(_ key: String, default value: String) -> String {
        if case .string(let v)? = attributes[key] { return v }
        return value
    }

    /// A name for messages: the node name, else its op type and first output.
    func label(in names: ValueNames) -> String {
        name.isEmpty ? "\(opType) -> \(outputs.first.map { names[$0] } ?? "?")" : name
    }
}

/// A graph input or output: name, element type and shape (nil entries are symbolic dims).
struct ValueDeclaration {
    var name: String
    var value: ValueID
    var element: ElementType?
    var elementCode: Int32
    var shape: [Int?]
}

/// A loaded ONNX graph before specialization.
struct Graph {
    var path: String
    var opsetVersion: Int
    var names: ValueNames
    var nodes: [Node]
    /// In file order; a name given twice keeps its last tensor.
    var initializers: [(value: ValueID, tensor: Tensor)]
    var inputs: [ValueDeclaration]
    var outputs: [ValueDeclaration]
    var metadata: [String: String]
}
