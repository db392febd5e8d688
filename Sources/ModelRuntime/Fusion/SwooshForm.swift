/// Which of zipformer's two Swoosh spellings a chain is (`SwooshOperation`, `SwooshKernel`).
package enum SwooshForm: Equatable, Sendable {
    /// ((max(floor, s) + log(one + exp(-|floor - s|))) - x·slope) - shift, s = x - offset:
    /// the overflow-free form of the convolutional front end.
    case stable(floor: Float)
    /// ((log(exp(s) + one) where finite, else s) - x·slope) - shift, s = x - offset: the
    /// encoder layers' form.
    case clamped
}
