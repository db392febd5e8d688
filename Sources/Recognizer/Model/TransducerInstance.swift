import ModelRuntime

/// One stream's use of a `TransducerModel`: instances of its three programs (the encoder's streaming
/// state among their inputs) and of the batch joiners it needs. Used from one thread at a time.
final class TransducerInstance: TransducerNetwork {
    let model: TransducerModel
    private let encoder: GraphInstance
    private let decoder: GraphInstance
    private let joiner: GraphInstance

    /// One carried state the encoder does not compute in its input's bytes: copied from the output
    /// to the input after each chunk.
    private struct State {
        let input: UnsafeMutableRawPointer
        let output: UnsafeRawPointer
        let bytes: Int
    }

    private let states: [State]
    private let processedFrames: UnsafeMutablePointer<Int64>?
    private let features: UnsafeMutableRawPointer
    private let encoderOutput: UnsafeRawPointer
    private let decoderInput: UnsafeMutableRawPointer
    private let decoderOutput: UnsafeRawPointer
    private let joinerEncoderInput: UnsafeMutableRawPointer
    private let joinerDecoderInput: UnsafeMutableRawPointer
    private let logits: UnsafeRawPointer
    /// Instances of the model's batch joiners, by rows.
    private var batchJoiners: [Int: GraphInstance] = [:]

    init(model: TransducerModel) {
        self.model = model
        let encoder = model.encoder.makeInstance(), decoder = model.decoder.makeInstance(), joiner = model.joiner.makeInstance()
        (self.encoder, self.decoder, self.joiner) = (encoder, decoder, joiner)
        // A state the encoder computes in its input's bytes needs no copy.
        states = model.states.map {
            State(input: encoder.input(at: $0.input), output: encoder.output(at: $0.output), bytes: $0.bytes)
        }.filter { UnsafeRawPointer($0.input) != $0.output }
        processedFrames = model.processedFramesInput.map { encoder.input(at: $0).assumingMemoryBound(to: Int64.self) }
        features = encoder.input(at: model.featuresInput)
        encoderOutput = encoder.output(at: model.encoderOutput)
        decoderInput = decoder.input(at: model.decoderInput)
        decoderOutput = decoder.output(at: 0)
        joinerEncoderInput = joiner.input(at: model.joinerEncoderInput)
        joinerDecoderInput = joiner.input(at: model.joinerDecoderInput)
        logits = joiner.output(at: 0)
    }

    var chunkLength: Int { model.chunkLength }
    var chunkShift: Int { model.chunkShift }
    var featureDimension: Int { model.featureDimension }
    var encoderFramesPerChunk: Int { model.encoderFramesPerChunk }
    var joinerInputDimension: Int { model.joinerInputDimension }
    var contextSize: Int { model.contextSize }
    var vocabularySize: Int { model.vocabularySize }

    func encode(features input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) throws {
        try check(input.count, chunkLength * featureDimension, "features", model.encoder.path)
        try check(output.count, encoderFramesPerChunk * joinerInputDimension, "encoder output", model.encoder.path)
        features.copyMemory(from: input.baseAddress!, byteCount: input.count * 4)
        encoder.run()
        output.baseAddress!.update(from: encoderOutput.assumingMemoryBound(to: Float.self), count: output.count)
        for state in states { state.input.copyMemory(from: state.output, byteCount: state.bytes) }
        processedFrames?.pointee += Int64(chunkShift)
    }

    func decode(context: UnsafeBufferPointer<Int64>, into output: UnsafeMutableBufferPointer<Float>) throws {
        try check(context.count, contextSize, "token context", model.decoder.path)
        try check(output.count, joinerInputDimension, "decoder output", model.decoder.path)
        decoderInput.copyMemory(from: context.baseAddress!, byteCount: context.count * 8)
        decoder.run()
        output.baseAddress!.update(from: decoderOutput.assumingMemoryBound(to: Float.self), count: output.count)
    }

    func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutput: UnsafeBufferPointer<Float>,
              into output: UnsafeMutableBufferPointer<Float>) throws {
        try check(encoderFrame.count, joinerInputDimension, "encoder frame", model.joiner.path)
        try check(decoderOutput.count, joinerInputDimension, "decoder output", model.joiner.path)
        try check(output.count, vocabularySize, "logits", model.joiner.path)
        joinerEncoderInput.copyMemory(from: encoderFrame.baseAddress!, byteCount: encoderFrame.count * 4)
        joinerDecoderInput.copyMemory(from: decoderOutput.baseAddress!, byteCount: decoderOutput.count * 4)
        joiner.run()
        output.baseAddress!.update(from: logits.assumingMemoryBound(to: Float.self), count: output.count)
    }

    func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutputs: UnsafeBufferPointer<Float>, rows: Int,
              into output: UnsafeMutableBufferPointer<Float>) throws {
        guard rows > 1 else {
            guard rows == 1 else { return }
            return try join(encoderFrame: encoderFrame, decoderOutput: decoderOutputs, into: output)
        }
        try check(encoderFrame.count, joinerInputDimension, "encoder frame", model.joiner.path)
        try check(decoderOutputs.count, rows * joinerInputDimension, "decoder outputs", model.joiner.path)
        try check(output.count, rows * vocabularySize, "logits", model.joiner.path)
        let batch = try batchJoiner(rows: rows)
        let encoderInput = batch.input(at: model.joinerEncoderInput), width = joinerInputDimension * 4
        for row in 0..<rows {
            (encoderInput + row * width).copyMemory(from: encoderFrame.baseAddress!, byteCount: width)
        }
        batch.input(at: model.joinerDecoderInput).copyMemory(from: decoderOutputs.baseAddress!, byteCount: decoderOutputs.count * 4)
        batch.run()
        output.baseAddress!.update(from: batch.output(at: 0).assumingMemoryBound(to: Float.self), count: output.count)
    }

    /// Makes the batch joiners of up to `rows` rows now, so that decoding does not allocate later.
    func prepareJoin(rows: Int) throws {
        guard rows > 1 else { return }
        for count in 2...rows { _ = try batchJoiner(rows: count) }
    }

    private func batchJoiner(rows: Int) throws -> GraphInstance {
        if let existing = batchJoiners[rows] { return existing }
        let instance = try model.batchJoiner(rows: rows).makeInstance()
        batchJoiners[rows] = instance
        return instance
    }

    private func check(_ actual: Int, _ expected: Int, _ name: String, _ path: String) throws {
        if actual != expected { throw ModelInputError(path: path, name: name, expected: expected, actual: actual) }
    }
}
