/// Where frames sit in the sample stream and how many exist, with Kaldi's edge conventions.
struct FrameLayout {
    let length: Int
    let shift: Int
    let snipEdges: Bool

    /// Absolute index of the first sample of `frame`; negative for the first frame when edges are not snipped.
    func firstSample(ofFrame frame: Int) -> Int {
        snipEdges ? frame * shift : frame * shift + shift / 2 - length / 2
    }

    /// Frames computable from `sampleCount` samples. While input may still arrive, only frames that end
    /// inside the signal count; once it is finished, snip_edges=false rounds sampleCount/shift to the
    /// nearest integer and the frames past the end are completed by reflection.
    func frameCount(sampleCount: Int, inputFinished: Bool) -> Int {
        if snipEdges {
            return sampleCount < length ? 0 : 1 + (sampleCount - length) / shift
        }
        var frames = (sampleCount + shift / 2) / shift
        if inputFinished { return frames }
        while frames > 0 && firstSample(ofFrame: frames - 1) + length > sampleCount {
            frames -= 1
        }
        return frames
    }
}
