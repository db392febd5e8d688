/// A float elementwise ONNX operator of one input.
enum UnaryFloatFunction {
    case abs, neg, exp, log, tanh, sigmoid, relu, sqrt, reciprocal, erf
    case clip(Float, Float)
}
