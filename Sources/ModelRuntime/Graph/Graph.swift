/// An attribute value of a node, as the kernels need it.
enum AttributeValue {
    case int(Int)
    case ints([Int])
    case float(Float)
    case floats([Float])
    case string(String)
    case tensor(Tensor)
}

/// One operator application in the graph, in the runtime's own terms (no protobuf types). A class:
/// specialization hands each of ten thousand nodes around, and a reference costs one retain where
/// this struct's fields would cost six.
final class Node {
    let name: String
    let opType: String
    let domain: String
    /// `ValueID.omitted` marks an omitted optional operand.
    let inputs: [ValueID]
    let outputs: [ValueID]
    let attributes: [String: AttributeValue]

    init(name: String, opType: String, domain: String, inputs: [ValueID], outputs: [ValueID],
         attributes: [String: AttributeValue]) {
        self.name = name
        self.opType = opType
        self.domain = domain
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
    }

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
