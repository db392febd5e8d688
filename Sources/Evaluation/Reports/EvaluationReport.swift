import Foundation

/// The result of `asr eval`: one report per set, their total, and the text and JSON forms of both.
public struct EvaluationReport: Sendable {
    public var sets: [SetReport]
    public var total: SetReport

    public init(sets: [SetReport]) {
        self.sets = sets
        total = SetReport(total: sets)
    }

    /// The table printed on stdout: one row per set, then `ALL`.
    public func table() -> String {
        let biased = total.biasedWords != nil
        let header = ["set", "utts", "skipped", "words", "WER %", "sub", "del", "ins", "CER %"]
            + (biased ? ["U-WER %", "B-WER %", "biased"] : []) + ["audio s", "RTF"]
        let rows = (sets + [total]).map { report -> [String] in
            var row: [String] = [report.name, "\(report.utterances)", "\(report.skipped)", "\(report.words.referenceLength)",
                                 Self.percent(report.words.rate), "\(report.words.substitutions)",
                                 "\(report.words.deletions)", "\(report.words.insertions)",
                                 Self.percent(report.characters.rate)]
            if biased {
                if let counts = report.biasedWords {
                    row += [Self.percent(counts.unbiased.rate), Self.percent(counts.biased.rate), "\(counts.biased.referenceLength)"]
                } else {
                    row += ["-", "-", "-"]
                }
            }
            row += [String(format: "%.1f", report.audioSeconds), String(format: "%.4f", report.realTimeFactor)]
            return row
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                column == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[column] - cell.count) + cell
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    private static func percent(_ fraction: Double) -> String { String(format: "%.2f", 100 * fraction) }

    /// The JSON report of the command-line contract (`wer` as a fraction), plus `skipped`, `cer`,
    /// `characters`, and with biasing lists `u_wer`, `b_wer` and their counts (`unbiased`, `biased`).
    public func json() throws -> Data {
        struct Entry: Encodable {
            var name: String, utterances: Int, skipped: Int, words: Int
            var substitutions: Int, deletions: Int, insertions: Int, wer: Double
            var characters: Int, cer: Double
            var audio_seconds: Double, cpu_seconds: Double, rtf: Double
            var u_wer: Double?, b_wer: Double?, unbiased: Counts?, biased: Counts?

            struct Counts: Encodable {
                var words: Int, substitutions: Int, deletions: Int, insertions: Int

                init?(_ counts: ErrorCounts?) {
                    guard let counts else { return nil }
                    words = counts.referenceLength
                    substitutions = counts.substitutions
                    deletions = counts.deletions
                    insertions = counts.insertions
                }
            }

            init(_ report: SetReport) {
                name = report.name
                utterances = report.utterances
                skipped = report.skipped
                words = report.words.referenceLength
                substitutions = report.words.substitutions
                deletions = report.words.deletions
                insertions = report.words.insertions
                wer = report.words.rate
                characters = report.characters.referenceLength
                cer = report.characters.rate
                audio_seconds = report.audioSeconds
                cpu_seconds = report.cpuSeconds
                rtf = report.realTimeFactor
                u_wer = report.biasedWords?.unbiased.rate
                b_wer = report.biasedWords?.biased.rate
                unbiased = Counts(report.biasedWords?.unbiased)
                biased = Counts(report.biasedWords?.biased)
            }
        }
        struct Document: Encodable {
            var sets: [Entry]
            var total: Entry
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(Document(sets: sets.map(Entry.init), total: Entry(total)))
    }
}
