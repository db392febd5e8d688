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
        func trimmed(_ row: [String]) -> String {
            String(row.joined(separator: " ").reversed().drop(while: { $0 == " " }).reversed())
        }
        return """
        id:  \(score.utterance.id)  (\(set), \(score.utterance.source))
        REF: \(trimmed(referenceRow))
        HYP: \(trimmed(hypothesisRow))
        ERR: \(trimmed(markRow))
        words \(counts.referenceLength)  sub \(counts.substitutions)  del \(counts.deletions)  ins \(counts.insertions)

        """
    }
}
