/// An elementwise ONNX operator of two inputs with numpy broadcasting.
enum BinaryOperation {
    case add, sub, mul, div, pow, max, min
    case equal, less, lessOrEqual, greater, greaterOrEqual
    case and, or
    /// Pow with a scalar constant exponent of 2, computed as x * x (as onnxruntime does).
    case square
}
