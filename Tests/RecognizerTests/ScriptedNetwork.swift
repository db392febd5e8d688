import Recognizer

/// A transducer whose joiner returns the encoder frame plus the decoder output, so a test scripts
/// the log-probabilities of each frame directly. It records the contexts the decoder sees.
///
/// It is its own source: each stream gets the same object with its script rewound, so a test reads
/// what its one live stream did (one stream at a time).
final class ScriptedNetwork: TransducerNetwork, TransducerNetworkSource, @unchecked Sendable {
    let chunkLength = 45
    let chunkShift = 32
    let featureDimension = 80
    let encoderFramesPerChunk = 8
    let contextSize = 2
    let vocabularySize: Int
    var joinerInputDimension: Int { vocabularySize }

    /// Encoder output rows handed out chunk by chunk by `encode` (blank-only once exhausted).
    var encoderScript: [[Float]] = []
    private var nextScriptedFrame = 0
    private(set) var decodedContexts: [[Int64]] = []
    private(set) var joinCount = 0
    /// Rows of each batched join, in call order.
    private(set) var batchRows: [Int] = []
    private(set) var encodeCount = 0
    /// When set, the decoder makes the context's last token very unlikely, so results show which
    /// context the search used.
    var penalizesRepeats = false

    init(vocabularySize: Int) { self.vocabularySize = vocabularySize }

    func makeNetwork() -> TransducerNetwork {
        nextScriptedFrame = 0
        return self
    }

    func encode(features: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) throws {
        encodeCount += 1
        for frame in 0..<encoderFramesPerChunk {
            let row = nextScriptedFrame < encoderScript.count ? encoderScript[nextScriptedFrame] : Self.blankRow(vocabularySize)
            nextScriptedFrame += 1
            for index in 0..<vocabularySize { output[frame * vocabularySize + index] = row[index] }
        }
    }

    func decode(context: UnsafeBufferPointer<Int64>, into output: UnsafeMutableBufferPointer<Float>) throws {
        decodedContexts.append(Array(context))
        for index in output.indices { output[index] = 0 }
        if penalizesRepeats, let last = context.last, last > 0, Int(last) < output.count { output[Int(last)] = -30 }
    }

    func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutput: UnsafeBufferPointer<Float>,
              into logits: UnsafeMutableBufferPointer<Float>) throws {
        joinCount += 1
        for index in 0..<vocabularySize { logits[index] = encoderFrame[index] + decoderOutput[index] }
    }

    func join(encoderFrame: UnsafeBufferPointer<Float>, decoderOutputs: UnsafeBufferPointer<Float>, rows: Int,
              into logits: UnsafeMutableBufferPointer<Float>) throws {
        batchRows.append(rows)
        for row in 0..<rows {
            try join(encoderFrame: encoderFrame,
                     decoderOutput: UnsafeBufferPointer(rebasing: decoderOutputs[(row * vocabularySize)..<((row + 1) * vocabularySize)]),
                     into: UnsafeMutableBufferPointer(rebasing: logits[(row * vocabularySize)..<((row + 1) * vocabularySize)]))
        }
    }

    /// A frame that is almost surely blank.
    static func blankRow(_ size: Int) -> [Float] {
        var row = [Float](repeating: -20, count: size)
        row[0] = 0
        return row
    }

    /// A frame whose log-probabilities are the logs of `probabilities`.
    static func row(_ probabilities: [Double]) -> [Float] {
        probabilities.map { Float(log($0)) }
    }

    /// A frame that is almost surely `token`.
    static func tokenRow(_ token: Int, size: Int) -> [Float] {
        var row = [Float](repeating: -20, count: size)
        row[token] = 0
        return row
    }
}

import Foundation

/// Runs a search over rows of encoder output.
func run(_ search: TransducerSearch, rows: [[Float]], firstFrame: Int = 0) throws {
    let flat = rows.flatMap { $0 }
    try flat.withUnsafeBufferPointer { try search.decode(encoderFrames: $0, frameCount: rows.count, firstFrame: firstFrame) }
}
