/// A failure of a command as a whole, printed as one line on stderr.
struct CommandError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
