import Foundation
import ModelRuntime

/// The result of `asr bench`: speed, latency per chunk, stage split, memory and allocations.
public struct BenchReport: Sendable {
    public var files: Int = 0
    public var chunks: Int = 0
    public var audioSeconds: Double = 0
    /// Process CPU time spent decoding (model load excluded).
    public var cpuSeconds: Double = 0
    public var wallSeconds: Double = 0
    /// CPU time of the whole process at the end (load and file reading included), to compare with
    /// `/usr/bin/time` user + system.
    public var processCPUSeconds: Double = 0
    public var loadMilliseconds: Double = 0
    public var peakResidentBytes: Int = 0
    /// Heap allocations per chunk after the warm-up chunks; nil when they are not counted (no
    /// allocation counter preloaded).
    public var allocationsPerChunk: Double?
    /// Compute time of each chunk, in seconds.
    public var chunkSeconds: [Double] = []
    public var featureSeconds: Double = 0
    public var encoderSeconds: Double = 0
    public var searchSeconds: Double = 0
    /// Each graph's memory, fixed at load (arena, persistent state, constants, kernel-owned).
    public var graphMemory: [(name: String, plan: MemoryPlan)] = []
    /// The onnxruntime CPU profile the kernels reproduce (`ReferenceArithmetic`'s name).
    public var arithmetic = ""
    /// The kernel set that ran (`KernelSet`'s name: avx2 or portable).
    public var kernels = ""
    /// The fastest int8 product that ran (`KernelSet.int8Products`: amx, vnni, avx2 or portable).
    public var int8Products = ""

    public init() {}

    public var realTimeFactor: Double { audioSeconds > 0 ? cpuSeconds / audioSeconds : 0 }

    public func text() -> String {
        let chunk = Percentiles(chunkSeconds)
        let stages = featureSeconds + encoderSeconds + searchSeconds
        func share(_ seconds: Double) -> String {
            String(format: "%.3f s (%.1f %%)", seconds, stages > 0 ? 100 * seconds / stages : 0)
        }
        let allocations = allocationsPerChunk.map { String(format: "%.2f", $0) + " per chunk after warm-up" }
            ?? "not counted (run with LD_PRELOAD=libAllocationCounter.so from the build directory)"
        return """
        files            \(files)
        audio            \(String(format: "%.2f", audioSeconds)) s
        cpu              \(String(format: "%.3f", cpuSeconds)) s (wall \(String(format: "%.3f", wallSeconds)) s; whole process \(String(format: "%.3f", processCPUSeconds)) s)
        RTF              \(String(format: "%.4f", realTimeFactor))
        chunks           \(chunks)
        chunk ms         p50 \(String(format: "%.3f", chunk.value(at: 50) * 1000))  p95 \(String(format: "%.3f", chunk.value(at: 95) * 1000))  max \(String(format: "%.3f", chunk.maximum * 1000))
        features         \(share(featureSeconds))
        encoder          \(share(encoderSeconds))
        search           \(share(searchSeconds))
        model load       \(String(format: "%.1f", loadMilliseconds)) ms
        peak RSS         \(peakResidentBytes) bytes (\(String(format: "%.1f", Double(peakResidentBytes) / 1_048_576)) MiB)
        allocations      \(allocations)
        arithmetic       \(arithmetic)
        kernels          \(kernels)
        int8 products    \(int8Products)

        """ + graphMemory.map { "\($0.name.padding(toLength: 17, withPad: " ", startingAt: 0))\($0.plan)\n" }.joined()
    }

    /// The JSON report of the command-line contract, plus `files`, `chunks`, `wall_seconds` and
    /// `process_cpu_seconds`.
    public func json() throws -> Data {
        struct Chunk: Encodable { var p50: Double, p95: Double, max: Double }
        struct Stages: Encodable { var features: Double, encoder: Double, search: Double }
        struct GraphMemory: Encodable {
            var arena_bytes: Int, persistent_bytes: Int, scratch_bytes: Int, workspace_bytes: Int
            var constant_bytes: Int, kernel_bytes: Int, steps: Int
        }
        struct Document: Encodable {
            var files: Int, chunks: Int, audio_seconds: Double, cpu_seconds: Double, wall_seconds: Double, rtf: Double
            var process_cpu_seconds: Double
            var load_ms: Double, peak_rss_bytes: Int, allocations_per_chunk: Double?
            var chunk_ms: Chunk, stage_seconds: Stages
            var graphs: [String: GraphMemory]
            var arithmetic: String
            var kernels: String
            var int8_products: String

            func encode(to encoder: Encoder) throws {
                enum Key: String, CodingKey {
                    case files, chunks, audio_seconds, cpu_seconds, wall_seconds, rtf, process_cpu_seconds, load_ms, peak_rss_bytes
                    case allocations_per_chunk, chunk_ms, stage_seconds, graphs, arithmetic, kernels, int8_products
                }
                var container = encoder.container(keyedBy: Key.self)
                try container.encode(files, forKey: .files)
                try container.encode(chunks, forKey: .chunks)
                try container.encode(audio_seconds, forKey: .audio_seconds)
                try container.encode(cpu_seconds, forKey: .cpu_seconds)
                try container.encode(wall_seconds, forKey: .wall_seconds)
                try container.encode(rtf, forKey: .rtf)
                try container.encode(process_cpu_seconds, forKey: .process_cpu_seconds)
                try container.encode(load_ms, forKey: .load_ms)
                try container.encode(peak_rss_bytes, forKey: .peak_rss_bytes)
                // Written as null (not left out) when allocations are not counted.
                try container.encode(allocations_per_chunk, forKey: .allocations_per_chunk)
                try container.encode(chunk_ms, forKey: .chunk_ms)
                try container.encode(stage_seconds, forKey: .stage_seconds)
                if !graphs.isEmpty { try container.encode(graphs, forKey: .graphs) }
                if !arithmetic.isEmpty { try container.encode(arithmetic, forKey: .arithmetic) }
                if !kernels.isEmpty { try container.encode(kernels, forKey: .kernels) }
                if !int8_products.isEmpty { try container.encode(int8_products, forKey: .int8_products) }
            }
        }
        let chunk = Percentiles(chunkSeconds)
        let document = Document(
            files: files, chunks: chunks, audio_seconds: audioSeconds, cpu_seconds: cpuSeconds,
            wall_seconds: wallSeconds, rtf: realTimeFactor, process_cpu_seconds: processCPUSeconds, load_ms: loadMilliseconds,
            peak_rss_bytes: peakResidentBytes, allocations_per_chunk: allocationsPerChunk,
            chunk_ms: Chunk(p50: chunk.value(at: 50) * 1000, p95: chunk.value(at: 95) * 1000, max: chunk.maximum * 1000),
            stage_seconds: Stages(features: featureSeconds, encoder: encoderSeconds, search: searchSeconds),
            graphs: Dictionary(graphMemory.map { entry in
                (entry.name.split(separator: " ").first.map(String.init) ?? entry.name,
                 GraphMemory(arena_bytes: entry.plan.arenaBytes, persistent_bytes: entry.plan.persistentBytes,
                             scratch_bytes: entry.plan.scratchBytes, workspace_bytes: entry.plan.workspaceBytes,
                             constant_bytes: entry.plan.constantBytes, kernel_bytes: entry.plan.kernelBytes,
                             steps: entry.plan.stepCount))
            }, uniquingKeysWith: { first, _ in first }), arithmetic: arithmetic, kernels: kernels, int8_products: int8Products)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(document)
    }
}
