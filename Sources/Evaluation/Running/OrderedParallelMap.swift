import Foundation

/// Maps `inputs` on `workers.count` threads, each thread owning one worker (e.g. one loaded model),
/// and returns the outputs in input order, so the result does not depend on the number of threads.
/// `completed` is called (serialized) with the number of finished inputs after each one.
public func orderedParallelMap<Worker, Input, Output>(
    _ inputs: [Input], workers: [Worker],
    completed: ((Int) -> Void)? = nil,
    _ body: @escaping (Worker, Input) -> Output
) -> [Output] {
    precondition(!workers.isEmpty, "orderedParallelMap needs at least one worker")
    let queue = WorkQueue<Output>(count: inputs.count, completed: completed)
    let drain = { (worker: Worker) in
        while let index = queue.take() {
            queue.store(body(worker, inputs[index]), at: index)
        }
    }
    let group = DispatchGroup()
    let threadCount = min(workers.count, max(inputs.count, 1))
    for worker in workers.prefix(threadCount).dropFirst() {
        group.enter()
        let thread = Thread {
            drain(worker)
            group.leave()
        }
        // Model code may keep sizeable buffers on the stack; secondary threads default to 512 KiB.
        thread.stackSize = 8 << 20
        thread.start()
    }
    drain(workers[0])
    group.wait()
    return queue.outputs.map { $0! }
}

/// Hands out input indices in order and collects outputs by index, under one lock.
private final class WorkQueue<Output>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var finished = 0
    private let count: Int
    private let completed: ((Int) -> Void)?
    private(set) var outputs: [Output?]

    init(count: Int, completed: ((Int) -> Void)?) {
        self.count = count
        self.completed = completed
        outputs = Array(repeating: nil, count: count)
    }

    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ output: Output, at index: Int) {
        lock.lock()
        defer { lock.unlock() }
        outputs[index] = output
        finished += 1
        completed?(finished)
    }
}
