// The corpus lab-finetune's lora mode fine-tunes on, distinct in style from the
// pre-training text but written in the base model's characters (a character
// the base has never seen has no embedding to adapt):
//   upper  the pre-training text in capitals (W13's choice, as the peer's):
//          same words, but every lower-case letter the base predicts is now
//          wrong, a shift a learner sees in the first samples
// The first 90% is for training, the rest for validation, as in pre-training.
import Foundation
import GPT
import LabKit

struct SecondCorpus {
    static let names = ["upper"]

    let name: String
    let train: [Int], validation: [Int]

    static func load(_ name: String, base: CharCorpus) throws -> SecondCorpus {
        switch name {
        case "upper":
            let tokens = try base.vocabulary.encode(base.text.uppercased())
            let (train, validation) = CharVocabulary.split(tokens)
            return SecondCorpus(name: "the pre-training text upper-cased", train: train, validation: validation)
        default:
            throw LabFineTuneError("unknown corpus '\(name)'")
        }
    }
}
