// A preference a learner can check by eye: a rule that says whether a piece
// of generated text has a property. The preference data, the rate of the
// property in samples before and after DPO, and the reward model's task are all
// defined by it, so the whole loop can be verified without human labels.
//
// The rule used by lab-finetune, "a line ends with a full stop": a continuation
// has the property when one of its line breaks comes right after a '.'. In
// tiny Shakespeare 31% of 56-character windows have one (lines also end with
// ',', ':', ';', '?', '!' or a word), so a base model shows it in about a
// third of its samples; DPO has to make it the rule rather than the exception,
// a local change (what comes before a newline) that is easy to see in samples.

/// A checkable property of generated text.
public protocol PreferenceRule: Sendable {
    /// A short name for reports ("a line ends with a full stop").
    var name: String { get }
    /// Whether `continuation`, written after `prompt`, has the property.
    func holds(prompt: String, continuation: String) -> Bool
}

/// Some line break of the continuation follows a full stop (the prompt's last character counts as "before").
public struct FullStopLineEnd: PreferenceRule {
    /// The rule; it has no settings.
    public init() {}

    /// "a line of the continuation ends with a full stop".
    public var name: String { "a line of the continuation ends with a full stop" }

    /// Whether some "\n" of `continuation` comes right after a "." (the first one may follow the prompt's last character).
    public func holds(prompt: String, continuation: String) -> Bool {
        var previous = prompt.unicodeScalars.last
        for scalar in continuation.unicodeScalars {
            if scalar == "\n" && previous == "." { return true }
            previous = scalar
        }
        return false
    }
}
