import Foundation

/// The utterances of one evaluation set and the problems found while reading it.
///
/// Entries with a problem are left out of `utterances`; `problems` says which and why, with file and line.
public struct TestSet: Sendable {
    public enum Layout: String, Sendable {
        /// `speaker/chapter/speaker-chapter.trans.txt` with `id.flac` beside it.
        case libriSpeechTree
        /// `wav.scp` (`id path`, paths relative to the directory) and `text` (`id WORDS...`).
        case kaldiDataDirectory
        /// One JSON object per line: `audio_filepath`, `text`, optional `duration`.
        case jsonLinesManifest
    }

    /// Short name for reports: the directory name, or the manifest file name without extension.
    public var name: String
    public var path: String
    public var layout: Layout
    public var utterances: [EvaluationUtterance]
    public var problems: [SetProblem]

    public init(name: String, path: String, layout: Layout, utterances: [EvaluationUtterance], problems: [SetProblem]) {
        self.name = name
        self.path = path
        self.layout = layout
        self.utterances = utterances
        self.problems = problems
    }

    /// Reads a set, recognizing its layout: a regular file is a manifest, a directory with `wav.scp`
    /// is a Kaldi data dir, a directory with `*.trans.txt` somewhere below is a LibriSpeech tree.
    public static func load(path: String) throws -> TestSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TestSetError(path: path, reason: "no such file or directory")
        }
        if !isDirectory.boolValue {
            return try JSONLinesManifestReader(path: path).read()
        }
        let kaldi = KaldiDataDirectoryReader(directory: path)
        if FileManager.default.fileExists(atPath: kaldi.wavScpPath) {
            return try kaldi.read()
        }
        let libriSpeech = LibriSpeechTreeReader(root: path)
        if !libriSpeech.transcriptFiles().isEmpty {
            return try libriSpeech.read()
        }
        throw TestSetError(path: path, reason: "not a test set: no wav.scp, no *.trans.txt below it, not a manifest file")
    }

    /// The set with each utterance's biasing entry attached; utterances the list lacks become problems.
    public func biased(by list: BiasingList) -> TestSet {
        var biased = self
        biased.utterances = []
        for var utterance in utterances {
            guard let entry = list.entries[utterance.id] else {
                biased.problems.append(SetProblem(.missingBiasingEntry(id: utterance.id, list: list.path), at: utterance.source))
                continue
            }
            utterance.biasing = entry
            biased.utterances.append(utterance)
        }
        return biased
    }

    static func name(of path: String) -> String {
        let url = URL(fileURLWithPath: path).absoluteURL.standardized
        return url.lastPathComponent
    }
}

/// Applies the checks every layout shares (duplicate ids, empty text, missing audio) while a reader adds entries.
struct TestSetBuilder {
    private(set) var utterances: [EvaluationUtterance] = []
    private(set) var problems: [SetProblem] = []
    private var firstSeen: [String: SourceLocation] = [:]
    private let normalizer = TextNormalizer()

    mutating func report(_ kind: SetProblem.Kind, at location: SourceLocation) {
        problems.append(SetProblem(kind, at: location))
    }

    /// Adds the entry unless its id repeats, its text is empty or its audio is missing.
    mutating func add(_ utterance: EvaluationUtterance) {
        if let first = firstSeen[utterance.id] {
            report(.duplicateID(id: utterance.id, first: first), at: utterance.source)
            return
        }
        firstSeen[utterance.id] = utterance.source
        if normalizer.words(utterance.reference).isEmpty {
            report(.emptyText(id: utterance.id), at: utterance.source)
            return
        }
        if !FileManager.default.fileExists(atPath: utterance.audioPath) {
            report(.missingAudio(id: utterance.id, path: utterance.audioPath), at: utterance.source)
            return
        }
        utterances.append(utterance)
    }

    func build(name: String, path: String, layout: TestSet.Layout) -> TestSet {
        TestSet(name: name, path: path, layout: layout, utterances: utterances,
                problems: problems.sorted { ($0.location.file, $0.location.line) < ($1.location.file, $1.location.line) })
    }
}

/// Resolves a path written in a set file: absolute as is, relative against the set's directory.
func resolve(_ path: String, against directory: String) -> String {
    if path.hasPrefix("/") { return path }
    // Absolute before standardizing: Foundation drops a relative URL's leading ".." instead of
    // resolving it against the working directory.
    return URL(fileURLWithPath: directory).absoluteURL.appendingPathComponent(path).standardized.path
}
