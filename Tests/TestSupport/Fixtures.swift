import Foundation

/// Locates committed fixtures and the model directory for tests, independent of the working directory.
public enum Fixtures {
    /// The package root: this file lives at `Tests/TestSupport/Fixtures.swift`.
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file under `audio-fixtures/`.
    public static func audio(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("audio-fixtures").appendingPathComponent(name).path
    }

    /// A file under `Tests/<target>/Fixtures/`.
    public static func data(_ target: String, _ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests").appendingPathComponent(target)
            .appendingPathComponent("Fixtures").appendingPathComponent(name).path
    }

    /// The model directory from `$ASR_MODEL`, else `models/default`, else the shared model beside the
    /// checkout; nil if none exists.
    public static var modelDirectory: String? {
        var candidates: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["ASR_MODEL"], !fromEnvironment.isEmpty {
            candidates.append(fromEnvironment.hasPrefix("/") ? fromEnvironment
                : repositoryRoot.appendingPathComponent(fromEnvironment).path)
        }
        candidates.append(repositoryRoot.appendingPathComponent("models/default").path)
        candidates.append(repositoryRoot.appendingPathComponent("../shared/models/zipformer2-kws-3.3M-gigaspeech").standardized.path)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The zoo-shape model directories: `$ASR_ZOO_SHAPES` (CI sets it; then a missing directory is a
    /// failure, not a skip), else `../shared/models/zoo-shapes` beside the checkout if present.
    public static var zooShapesDirectory: String? {
        if let fromEnvironment = ProcessInfo.processInfo.environment["ASR_ZOO_SHAPES"], !fromEnvironment.isEmpty {
            return fromEnvironment.hasPrefix("/") ? fromEnvironment : repositoryRoot.appendingPathComponent(fromEnvironment).path
        }
        let path = repositoryRoot.appendingPathComponent("../shared/models/zoo-shapes").standardized.path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The zoo-shape models the parity fixtures cover, one per encoder family.
    public static let zooShapeModels = ["sherpa-onnx-streaming-zipformer-en-2023-06-26",
                                        "sherpa-onnx-streaming-zipformer-en-20M-2023-02-17",
                                        "conformer-lite-streaming-en"]

    /// The shared evaluation sets beside the checkout, if present.
    public static var evaluationRoot: String? {
        let path = repositoryRoot.appendingPathComponent("../shared/eval").standardized.path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The built `asr` executable of the current build configuration.
    public static var asrExecutable: String {
        // Test bundles run from .build/<config>/; the executable sits beside them.
        let bundle = Bundle.main.bundleURL
        var directory = bundle
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("asr").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return repositoryRoot.appendingPathComponent(".build/debug/asr").path
    }
}
