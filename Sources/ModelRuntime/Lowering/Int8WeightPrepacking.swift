import Dispatch
import Synchronization

/// Packs a graph's int8 matrices on another thread while the calling one specializes and fuses the
/// graph: packing is most of lowering a large int8 model, and it depends on the weights alone.
/// Lowering's int8 linears then take their matrix from here (`packed(_:k:n:)`); one that finds
/// none (weights made at load, say) packs its own. Packings nobody took are freed with this object,
/// which waits for the other thread first, so that no packing outlives a compile, even a failed one.
final class Int8WeightPrepacking: @unchecked Sendable {
    private struct Key: Hashable {
        let address: UInt
        let k: Int, n: Int
    }

    /// The packings by matrix, shared with the packing thread (which must not hold `self`).
    private final class Table: @unchecked Sendable {
        let packings = Mutex<[Key: PackedInt8Weights]>([:])
    }

    private let table = Table()
    private let finished = DispatchGroup()
    /// Smaller matrices pack in no time where they are used.
    private static let minimumBytes = 4096

    /// Starts packing every 2-D int8 tensor among `initializers` of at least `minimumBytes`.
    init(_ initializers: [Tensor]) {
        let matrices = initializers.filter {
            $0.type.element == .int8 && $0.type.rank == 2 && $0.type.byteCount >= Self.minimumBytes
        }
        guard !matrices.isEmpty else { return }
        DispatchQueue.global(qos: .userInitiated).async(group: finished) { [table] in
            for tensor in matrices {
                let k = tensor.type.shape[0], n = tensor.type.shape[1]
                let source = UnsafePointer(tensor.pointer.assumingMemoryBound(to: Int8.self))
                let packed = withExtendedLifetime(tensor) { PackedInt8Weights(source, k: k, n: n) }
                // The kernels read the packing; the mapped original need not stay resident.
                tensor.storage.releaseMappedPages()
                table.packings.withLock { $0[Key(address: UInt(bitPattern: source), k: k, n: n)] = packed }
            }
        }
    }

    deinit { finished.wait() }

    /// The packing of W [k, n] at `weights`, once the background work is done; nil if it has none.
    func packed(_ weights: UnsafePointer<Int8>, k: Int, n: Int) -> PackedInt8Weights? {
        finished.wait()
        return table.packings.withLock { $0[Key(address: UInt(bitPattern: weights), k: k, n: n)] }
    }
}
