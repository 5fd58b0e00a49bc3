// The corpus lab-finetune's lora mode fine-tunes on, distinct in style from the
// pre-training text but written in the base model's characters (a character
// the base has never seen has no embedding to adapt):
//   upper  the pre-training text in capitals (W13's choice, as the peer's):
//          same words, but every lower-case letter the base predicts is now
//          wrong: the output mapping itself must change
//   ship   a ship's log in plain modern prose (FineTuning's ShipLogCorpus,
//          generated from a grammar): a change of style and subject, not of
//          spelling, the kind of shift LoRA is meant for
// The first 90% is for training, the rest for validation, as in pre-training.
import Foundation
import GPT
import FineTuning
import LabKit

struct SecondCorpus {
    static let names = ["ship", "upper"]

    let name: String
    let train: [Int], validation: [Int]

    static func load(_ name: String, base: CharCorpus) throws -> SecondCorpus {
        switch name {
        case "upper":
            let tokens = try base.vocabulary.encode(base.text.uppercased())
            let (train, validation) = CharVocabulary.split(tokens)
            return SecondCorpus(name: "the pre-training text upper-cased", train: train, validation: validation)
        case "ship":
            let text = ShipLogCorpus.text(seed: 7)
            let tokens: [Int]
            do { tokens = try base.vocabulary.encode(text) } catch {
                throw LabFineTuneError("the ship's log uses a character the base does not know (\(error)); use --corpus upper")
            }
            let (train, validation) = CharVocabulary.split(tokens)
            return SecondCorpus(name: "a ship's log (built in)", train: train, validation: validation)
        default:
            throw LabFineTuneError("unknown corpus '\(name)'")
        }
    }
}
