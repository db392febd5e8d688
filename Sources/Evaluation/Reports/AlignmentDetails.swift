/// The `--details` text of one utterance: reference and hypothesis in aligned columns, with the
/// error of each column marked (S, D, I) and gaps written as `***`, as sclite prints them.
public enum AlignmentDetails {
    public static func text(for score: UtteranceScore, set: String) -> String {
        var referenceRow: [String] = [], hypothesisRow: [String] = [], markRow: [String] = []
        for step in score.wordAlignment.steps {
            let reference = step.reference ?? "***"
            let hypothesis = step.hypothesis ?? "***"
            let mark: String
            switch step.operation {
            case .match: mark = ""
            case .substitution: mark = "S"
            case .deletion: mark = "D"
            case .insertion: mark = "I"
            }
            let width = max(reference.count, hypothesis.count)
            referenceRow.append(reference.padding(toLength: width, withPad: " ", startingAt: 0))
            hypothesisRow.append(hypothesis.padding(toLength: width, withPad: " ", startingAt: 0))
            markRow.append(mark.padding(toLength: width, withPad: " ", startingAt: 0))
        }
        let counts = score.wordCounts
        let lines = [
            "id:  \(score.utterance.id)  (\(set), \(score.utterance.source))",
            "REF: " + referenceRow.joined(separator: " "),
            "HYP: " + hypothesisRow.joined(separator: " "),
            "ERR: " + markRow.joined(separator: " "),
            "words \(counts.referenceLength)  sub \(counts.substitutions)  del \(counts.deletions)  ins \(counts.insertions)",
        ]
        // Padding leaves trailing spaces; a blank line after each utterance keeps the file readable as blocks.
        return lines.map { String($0.reversed().drop(while: { $0 == " " }).reversed()) }.joined(separator: "\n") + "\n\n"
    }
}
