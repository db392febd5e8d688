/// What the compiler knows about one value while specializing.
struct ValueInfo {
    var type: TensorType
    var constant: Tensor?
}
