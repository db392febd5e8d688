import ArgumentParser
import AudioIO
import Evaluation
import Foundation
import ModelRuntime
import Recognizer

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Speed, latency and memory of streaming recognition.",
        discussion: """
            Each file is read into memory first, then fed to one stream in pieces of --piece-ms, as a \
            microphone would deliver it. CPU time is the process's CPU time while streaming (model load \
            and file reading excluded); RTF is that CPU time over the audio duration. Chunk times are the \
            encoder + search time of each encoder chunk. A FILE_OR_SET that is a directory or a .json/.jsonl \
            file is read as a test set and all its audio is used. Heap allocations per chunk are counted \
            when the build's allocation counter is preloaded: \
            LD_PRELOAD=.build/release/libAllocationCounter.so asr bench ...
            """)

    @OptionGroup var recognizer: RecognizerOptions

    @Option(name: .customLong("json"), help: "Write the JSON report here.")
    var jsonPath: String?

    @Option(help: "Milliseconds of audio per piece fed to the stream.")
    var pieceMs: Int = 100

    @Option(help: "Chunks at the start of each file not counted in allocations per chunk.")
    var warmupChunks: Int = 4

    @Argument(help: "Audio files or test sets.")
    var inputs: [String]

    func validate() throws {
        guard pieceMs >= 1 else { throw ValidationError("--piece-ms must be at least 1") }
        guard warmupChunks >= 0 else { throw ValidationError("--warmup-chunks must not be negative") }
        guard !inputs.isEmpty else { throw ValidationError("give at least one FILE_OR_SET") }
    }

    func run() throws {
        try checkReportPaths(jsonPath)
        var failed = false
        var audio: [[Float]] = []
        for path in audioPaths(failed: &failed) {
            do {
                audio.append(try AudioFileReader(path: path, targetSampleRate: 16_000).readAll())
            } catch {
                printError("\(error)")
                failed = true
            }
        }
        guard !audio.isEmpty else {
            printError("no audio to benchmark")
            throw ExitCode.failure
        }

        let loadStart = ProcessResources.wallSeconds()
        let model: LoadedRecognizer
        do {
            model = try RecognizerBridge.load(recognizer)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        let loadMilliseconds = (ProcessResources.wallSeconds() - loadStart) * 1000

        let benchmark = StreamBenchmark(pieceLength: 16 * pieceMs, warmupChunks: warmupChunks,
                                        allocationCount: HeapAllocations.count)
        var report: BenchReport
        do {
            report = try benchmark.run(audio, makeStream: model.makeStream)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        report.loadMilliseconds = loadMilliseconds
        report.graphMemory = model.graphMemory
        report.arithmetic = RecognizerConfiguration().compileOptions.arithmetic.description
        report.kernels = KernelSet.active.rawValue
        report.int8Products = KernelSet.int8Products
        report.peakResidentBytes = ProcessResources.peakResidentBytes()
        report.processCPUSeconds = ProcessResources.processCPUSeconds()

        print(report.text(), terminator: "")
        if let jsonPath {
            try writeReport(report.json(), to: jsonPath)
        }
        if failed { throw ExitCode.failure }
    }

    /// Audio files of the inputs: sets expanded to their utterances (problems reported), files as given.
    private func audioPaths(failed: inout Bool) -> [String] {
        var paths: [String] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory)
            let isManifest = input.hasSuffix(".json") || input.hasSuffix(".jsonl")
            guard exists && (isDirectory.boolValue || isManifest) else {
                paths.append(input)
                continue
            }
            do {
                let set = try TestSet.load(path: input)
                set.problems.forEach { printError($0.description) }
                failed = failed || !set.problems.isEmpty
                paths += set.utterances.map(\.audioPath)
            } catch {
                printError("\(error)")
                failed = true
            }
        }
        return paths
    }
}
