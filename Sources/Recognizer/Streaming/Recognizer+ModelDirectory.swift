extension Recognizer {
    /// Loads the model in `modelDirectory` (`encoder*.onnx`, `decoder*.onnx`, `joiner*.onnx`, `tokens.txt`;
    /// `bpe.model` for hotwords, if the directory has one).
    public convenience init(modelDirectory: String, configuration: RecognizerConfiguration = .init()) throws {
        let files = try ModelFiles(directory: modelDirectory)
        let tokens = try TokenTable(path: files.tokens)
        let model = try TransducerModel(encoderPath: files.encoder, decoderPath: files.decoder,
                                        joinerPath: files.joiner, tokenCount: tokens.count,
                                        options: configuration.compileOptions)
        try self.init(model: model, tokens: tokens, configuration: configuration,
                      tokenizerPath: files.sentencePieceModel)
    }
}
