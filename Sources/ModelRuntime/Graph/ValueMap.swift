/// Something per value of a graph, stored by `ValueID` in an array that grows on demand; nil where
/// nothing was set.
struct ValueMap<Element> {
    private var storage: [Element?]

    /// Room for the values numbered below `capacity` without growing.
    init(capacity: Int = 0) {
        storage = Array(repeating: nil, count: capacity)
    }

    subscript(value: ValueID) -> Element? {
        get { value.index < storage.count ? storage[value.index] : nil }
        set {
            storage.grow(toInclude: value, filling: nil)
            storage[value.index] = newValue
        }
    }

    /// The element of `value`, set to `defaultValue` first if it has none: `map[v, default: []].append(x)`
    /// updates in place.
    subscript(value: ValueID, default defaultValue: @autoclosure () -> Element) -> Element {
        get { self[value] ?? defaultValue() }
        _modify {
            storage.grow(toInclude: value, filling: nil)
            if storage[value.index] == nil { storage[value.index] = defaultValue() }
            yield &storage[value.index]!
        }
    }

    /// Every value that has an element, in `ValueID` order.
    var entries: [(value: ValueID, element: Element)] {
        storage.indices.compactMap { index in storage[index].map { (ValueID(index: index), $0) } }
    }
}

/// A set of values of a graph, as one flag per `ValueID`.
struct ValueSet {
    private var flags: [Bool]

    init(capacity: Int = 0) {
        flags = Array(repeating: false, count: capacity)
    }

    init<Values: Sequence>(_ values: Values, capacity: Int = 0) where Values.Element == ValueID {
        self.init(capacity: capacity)
        for value in values { insert(value) }
    }

    func contains(_ value: ValueID) -> Bool { value.index < flags.count && flags[value.index] }

    mutating func insert(_ value: ValueID) {
        flags.grow(toInclude: value, filling: false)
        flags[value.index] = true
    }
}

private extension Array {
    /// Lengthens the array with `filler` so that `value` indexes it, at least doubling it when it grows.
    mutating func grow(toInclude value: ValueID, filling filler: Element) {
        if value.index >= count {
            append(contentsOf: repeatElement(filler, count: Swift.max(value.index + 1, count * 2) - count))
        }
    }
}
