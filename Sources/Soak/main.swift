// Streams hours of audio through one RecognitionStream with endpointing on, as `asr listen` runs
// for a day, and reports per simulated hour what must stay flat: resident memory, heap allocations
// per chunk, chunk compute time, and the segments found (tools/soak runs it).
//
//   Soak [--hours H] [--greedy] SET...      (model: $ASR_MODEL, else models/default)
//
// The sets' audio is read into memory once and looped without silence between files. Every word is
// credited to the file it was spoken in (by its time), so each pass over the audio gets a WER, and
// every endpoint ending a pause (a segment shorter than the 20 s limit) is counted in its file: both
// are compared with single-stream runs of each file (fresh stream, same endpointing). Drift would
// show as a WER that grows pass after pass, a lost endpoint as fewer pause endpoints.
import AudioIO
import CAllocationCounter
import Evaluation
import Foundation
import Recognizer

struct Options {
    var hours = 10.0
    var greedy = false
    var sets: [String] = []

    init(_ arguments: [String]) {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--hours": hours = rest.popFirst().flatMap(Double.init) ?? 0
            case "--greedy": greedy = true
            default: sets.append(argument)
            }
        }
        if sets.isEmpty || !(hours > 0) {
            FileHandle.standardError.write(Data("usage: Soak [--hours H] [--greedy] SET...\n".utf8))
            exit(2)
        }
    }
}

/// What one simulated hour did.
struct Hour {
    var chunks = 0
    var allocations: UInt64 = 0
    var chunkSeconds: [Double] = []
    var segments = 0
}

/// Words and pause endpoints credited to each file of one pass over the audio.
struct Pass {
    var words: [[String]]
    var pauseEndpoints = 0

    init(files: Int) { words = Array(repeating: [], count: files) }

    func wordErrorRate(against references: [[String]]) -> Double {
        let counts = zip(references, words).map { EditAlignment(reference: $0, hypothesis: $1).counts }.reduce(ErrorCounts(), +)
        return counts.rate * 100
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
var configuration = RecognizerConfiguration(decoding: options.greedy ? .greedy : .default)
configuration.endpoint.isEnabled = true
let maximumSegmentSeconds = configuration.endpoint.maximumUtterance.minimumUtteranceLength
let recognizer = try Recognizer(modelDirectory: ModelFiles.resolveDirectory(explicit: nil), configuration: configuration)
let rate = Double(configuration.sampleRate)
let normalizer = TextNormalizer()

var audio: [[Float]] = []
var references: [[String]] = []
for path in options.sets {
    for utterance in try TestSet.load(path: path).utterances {
        audio.append(try AudioFileReader(path: utterance.audioPath, targetSampleRate: configuration.sampleRate).readAll())
        references.append(normalizer.words(utterance.reference))
    }
}
// Start of each file in a pass, in samples, and the pass length.
var fileStarts: [Int] = []
var passLength = 0
for samples in audio {
    fileStarts.append(passLength)
    passLength += samples.count
}

/// The file of a pass that holds stream sample `position`, and the pass.
func locate(_ position: Int) -> (pass: Int, file: Int) {
    let offset = position % passLength
    var low = 0, high = fileStarts.count - 1
    while low < high {
        let middle = (low + high + 1) / 2
        if fileStarts[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    return (position / passLength, low)
}

// Single-stream runs: each file alone in a fresh stream, endpoints taken as `listen` takes them.
var single = Pass(files: audio.count)
for (index, samples) in audio.enumerated() {
    let stream = recognizer.makeStream()
    var fed = 0
    for start in stride(from: 0, to: samples.count, by: 1600) {
        try stream.accept(Array(samples[start..<min(start + 1600, samples.count)]))
        fed = min(start + 1600, samples.count)
        if stream.isEndpoint {
            let result = stream.partialResult
            single.words[index] += normalizer.words(result.text)
            if Double(fed) / rate - result.segmentStart < maximumSegmentSeconds { single.pauseEndpoints += 1 }
            stream.reset()
        }
    }
    try stream.inputFinished()
    single.words[index] += normalizer.words(stream.partialResult.text)
}

print(String(format: "soak: %d files, %.1f s a pass, %.1f h, %@ search; single-stream runs: WER %.2f %%, %d pause endpoints a pass",
             audio.count, Double(passLength) / rate, options.hours, options.greedy ? "greedy" : "beam",
             single.wordErrorRate(against: references), single.pauseEndpoints))
print("hour  RSS MiB  allocs/chunk  chunk p50 ms  chunk p95 ms  segments")

let stream = recognizer.makeStream()
let pieceLength = 1600  // 100 ms, as a capture device delivers
let hourSamples = 3600 * configuration.sampleRate
let totalSamples = Int(options.hours * Double(hourSamples))
var fed = 0
var hour = Hour()
var passes: [Pass] = []
var finalAllocations: UInt64 = 0, finals = 0

/// Takes the segment that just ended: its words go to the files they were spoken in.
func takeFinal() {
    let before = asr_thread_allocation_count()
    let result = stream.partialResult
    finalAllocations += asr_thread_allocation_count() - before
    finals += 1
    hour.segments += 1
    let pass = locate(fed - 1).pass
    while passes.count <= pass { passes.append(Pass(files: audio.count)) }
    if Double(fed) / rate - result.segmentStart < maximumSegmentSeconds { passes[pass].pauseEndpoints += 1 }
    for word in result.words {
        let (wordPass, wordFile) = locate(Int(word.start * rate))
        while passes.count <= wordPass { passes.append(Pass(files: audio.count)) }
        passes[wordPass].words[wordFile] += normalizer.words(word.text)
    }
}

outer: while true {
    for samples in audio {
        try samples.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                let piece = UnsafeBufferPointer(rebasing: buffer[start..<min(start + pieceLength, buffer.count)])
                let chunksBefore = stream.statistics.chunks
                let computeBefore = stream.statistics.encoderSeconds + stream.statistics.searchSeconds
                let allocationsBefore = asr_thread_allocation_count()
                try stream.accept(piece)
                let isEndpoint = stream.isEndpoint
                hour.allocations += asr_thread_allocation_count() - allocationsBefore
                let ran = stream.statistics.chunks - chunksBefore
                if ran > 0 {
                    let seconds = (stream.statistics.encoderSeconds + stream.statistics.searchSeconds - computeBefore) / Double(ran)
                    hour.chunks += ran
                    hour.chunkSeconds.append(contentsOf: repeatElement(seconds, count: ran))
                }
                start += piece.count
                fed += piece.count
                if isEndpoint {
                    takeFinal()
                    let allocationsBefore = asr_thread_allocation_count()
                    stream.reset()
                    hour.allocations += asr_thread_allocation_count() - allocationsBefore
                }
                if fed % hourSamples < piece.count {
                    print(String(format: "%4d  %7.2f  %12.3f  %12.2f  %12.2f  %8d", fed / hourSamples,
                                 Double(ProcessResources.residentBytes()) / 1_048_576,
                                 Double(hour.allocations) / Double(max(hour.chunks, 1)),
                                 Percentiles(hour.chunkSeconds).value(at: 50) * 1000,
                                 Percentiles(hour.chunkSeconds).value(at: 95) * 1000, hour.segments))
                    fflush(stdout)
                    hour = Hour()
                }
                if fed >= totalSamples { break }
            }
        }
        if fed >= totalSamples { break outer }
    }
}

print(String(format: "finals: %d, %.1f allocations each to build the result", finals, Double(finalAllocations) / Double(max(finals, 1))))
// The last pass is incomplete, and its words still in the open segment are not counted.
let complete = passes.dropLast()
print("pass  WER %  pause endpoints   (single-stream runs: WER \(String(format: "%.2f", single.wordErrorRate(against: references))) %, \(single.pauseEndpoints) pause endpoints)")
for (index, pass) in complete.enumerated() {
    print(String(format: "%4d  %5.2f  %15d", index + 1, pass.wordErrorRate(against: references), pass.pauseEndpoints))
}
