// A preference a learner can check by eye: a rule that says whether a piece
// of generated text has a property. The preference data, the rate of the
// property in samples before and after DPO, and the reward model's task are all
// defined by it, so the whole loop can be verified without human labels.
//
// The rule used by lab-finetune, "lines end with a full stop": a continuation
// has the property when it contains at least one line break and every line
// break in it comes right after a '.'. In tiny Shakespeare about one line in
// five ends that way (others end with ',', ':', ';', '?', '!' or a word), so a
// base model shows it in a minority of 56-character samples; the change DPO
// has to make is local (what comes before a newline) and easy to see.

/// A checkable property of generated text.
public protocol PreferenceRule: Sendable {
    /// A short name for reports ("lines end with a full stop").
    var name: String { get }
    /// Whether `continuation`, written after `prompt`, has the property.
    func holds(prompt: String, continuation: String) -> Bool
}

/// Every line break of the continuation follows a full stop, and there is at least one.
public struct FullStopLineEnds: PreferenceRule {
    public init() {}

    public var name: String { "every line of the continuation ends with a full stop" }

    public func holds(prompt: String, continuation: String) -> Bool {
        var previous = prompt.unicodeScalars.last
        var breaks = 0
        for scalar in continuation.unicodeScalars {
            if scalar == "\n" {
                guard previous == "." else { return false }
                breaks += 1
            }
            previous = scalar
        }
        return breaks > 0
    }
}
