import Foundation

/// CPU time and memory of this process as the kernel accounts them (the same counters `/usr/bin/time -v` reads).
public enum ProcessResources {
    /// CPU seconds (user + system) of all threads of the process.
    public static func processCPUSeconds() -> Double { seconds(of: CLOCK_PROCESS_CPUTIME_ID) }

    /// CPU seconds of the calling thread only, for per-utterance cost when several threads decode.
    public static func threadCPUSeconds() -> Double { seconds(of: CLOCK_THREAD_CPUTIME_ID) }

    /// Monotonic wall-clock seconds.
    public static func wallSeconds() -> Double { seconds(of: CLOCK_MONOTONIC) }

    /// Peak resident set size in bytes: `VmHWM` of `/proc/self/status`, else `ru_maxrss`.
    public static func peakResidentBytes() -> Int {
        if let kilobytes = statusField("VmHWM:") { return kilobytes * 1024 }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// Current resident set size in bytes (`VmRSS`), 0 when unknown.
    public static func residentBytes() -> Int { (statusField("VmRSS:") ?? 0) * 1024 }

    private static func seconds(of clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// A `kB` field of `/proc/self/status`.
    private static func statusField(_ name: String) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.dropFirst(name.count).split(whereSeparator: \.isWhitespace).first ?? "")
        }
        return nil
    }
}
