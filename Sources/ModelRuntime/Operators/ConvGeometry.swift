/// The shape of a Conv over 1-D or 2-D inputs (1-D viewed as height 1): what its builder worked out
/// from the input and weight shapes and the attributes, read by the passes and by every convolution
/// kernel.
struct ConvGeometry {
    var batch: Int, channels: Int, height: Int, width: Int
    var outChannels: Int, outHeight: Int, outWidth: Int
    var groups: Int, kernelHeight: Int, kernelWidth: Int
    var strideH: Int, strideW: Int, dilationH: Int, dilationW: Int, padTop: Int, padLeft: Int

    /// One input channel per group, stride 1, no dilation or padding, and a kernel as wide as
    /// the input: the case MLAS runs as a product with the input read in place as transposed B.
    var kernelSpansUnpaddedWidth: Bool {
        channels == groups && outChannels == groups && strideH == 1 && strideW == 1 && dilationH == 1 && dilationW == 1
            && padTop == 0 && padLeft == 0 && kernelWidth == width && outWidth == 1
            && outHeight == height - kernelHeight + 1 && !(kernelHeight == 1 && kernelWidth == 1)
    }
}
