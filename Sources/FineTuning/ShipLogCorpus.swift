// A built-in second corpus for fine-tuning: a ship's log in plain modern prose,
// generated from a small grammar, so it needs no download and is the same on
// every machine. Its style is far from Shakespeare's verse and speeches (no
// speaker names, no verse lines; dated entries of short declarative
// sentences), but it is written in the same characters: letters, spaces,
// ',', '.' and line breaks, so a model pretrained on either corpus can read it.
//   entry    = "Day " ordinal "." sentence{3…5} "\n\n"
//   sentence = one of seven templates, its slots filled from word lists
// Every choice comes from one seeded generator.

import Tensor

/// A built-in second corpus for fine-tuning: a ship's log in plain modern prose, generated from a small grammar.
public enum ShipLogCorpus {
    static let ordinals = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                           "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
    static let nouns = ["crew", "captain", "cook", "mate", "boy", "pilot", "doctor", "carpenter", "lookout", "bosun"]
    static let things = ["sail", "rope", "anchor", "mast", "deck", "barrel", "lamp", "map", "compass", "boat", "net", "bell"]
    static let verbs = ["checked", "mended", "painted", "carried", "cleaned", "lowered", "raised", "tied", "counted", "moved"]
    static let weather = ["calm", "cold", "grey", "rough", "clear", "warm", "wet", "bright", "heavy", "still"]
    static let directions = ["north", "south", "east", "west"]
    static let times = ["dawn", "noon", "dusk", "midnight", "first light", "the evening meal"]
    static let places = ["the harbour", "the island", "the coast", "the reef", "the bay", "open water", "the cape"]
    static let feelings = ["tired", "glad", "quiet", "hungry", "restless", "hopeful", "cheerful", "worried"]

    /// About `characters` characters of log entries, drawn with `seed`.
    public static func text(characters: Int = 300_000, seed: UInt64 = 0) -> String {
        var generator = RandomGenerator(seed: seed)
        func pick(_ words: [String]) -> String { words[generator.nextInt(below: words.count)] }
        var text = ""
        var day = 0
        while text.utf8.count < characters {   // ASCII, so bytes are characters (and utf8.count costs nothing)
            text += "Day \(ordinals[day % ordinals.count]).\n"
            day += 1
            var sentences: [String] = []
            for _ in 0..<(3 + generator.nextInt(below: 3)) {
                switch generator.nextInt(below: 7) {
                case 0: sentences.append("The wind came from the \(pick(directions)) and the sea was \(pick(weather)).")
                case 1: sentences.append("At \(pick(times)) the \(pick(nouns)) \(pick(verbs)) the \(pick(things)).")
                case 2: sentences.append("We sailed \(pick(directions)) past \(pick(places)).")
                case 3: sentences.append("The \(pick(nouns)) was \(pick(feelings)), so the \(pick(nouns)) \(pick(verbs)) the \(pick(things)).")
                case 4: sentences.append("By \(pick(times)) we could see \(pick(places)).")
                case 5: sentences.append("The sky was \(pick(weather)) and the crew was \(pick(feelings)).")
                default: sentences.append("No one \(pick(verbs)) the \(pick(things)) today.")
                }
            }
            text += sentences.joined(separator: " ") + "\n\n"
        }
        return text
    }
}
