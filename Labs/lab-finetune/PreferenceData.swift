// The preference pairs of lab-finetune's reward and dpo modes: continuations
// sampled from the base in twos, a pair kept when exactly one of the two has a
// line that ends with a full stop (FineTuning's SampledPreferencePairs and
// FullStopLineEnd), which is then the chosen one. Training pairs
// come from prompts of the training split, held-out pairs from prompts of the
// validation split, with separate seeds; batches walk through the training
// pairs in a fresh random order each epoch.
import Foundation
import FineTuning
import GPT
import LabKit
import NN
import Tensor

struct PreferenceData {
    let train: [PreferencePair]
    let heldOut: [PreferencePair]
    /// The rule's rate among all continuations the base wrote while the pairs were collected.
    let basePropertyRate: Double
    let rule = FullStopLineEnd()

    static func sample(lab: LabFineTune, settings: TourSettings, base: PretrainedBase) throws -> PreferenceData {
        let trainCount = lab.trainPairs ?? (settings.quick ? 60 : 2_400)
        let heldOutCount = lab.heldOutPairs ?? (settings.quick ? 40 : 200)
        let rule = FullStopLineEnd()
        Log.info("== preference pairs: two continuations of 56 characters per prompt of 8 from the base (temperature 1); chosen: the one where \(rule.name) ==")
        let begin = Stopwatch.now()
        let train = try SampledPreferencePairs(model: base.model, text: base.corpus.train, decode: base.decode, rule: rule,
                                               count: trainCount, seed: settings.seed &+ 1)
        let heldOut = try SampledPreferencePairs(model: base.model, text: base.corpus.validation, decode: base.decode, rule: rule,
                                                 count: heldOutCount, seed: settings.seed &+ 2)
        guard train.pairs.count == trainCount && heldOut.pairs.count == heldOutCount else {
            throw LabFineTuneError("the base wrote too few continuations where \(rule.name) (\(train.withProperty) of \(train.samples)) to make \(trainCount) + \(heldOutCount) pairs")
        }
        let rate = Double(train.withProperty + heldOut.withProperty) / Double(train.samples + heldOut.samples)
        Log.info(String(format: "%d + %d pairs from %d sampled continuations in %.1f s; the rule held in %.1f%% of them",
                        trainCount, heldOutCount, train.samples + heldOut.samples, Stopwatch.now() - begin, 100 * rate))
        let example = train.pairs[0]
        Log.info("example pair, prompt \(String(reflecting: base.decode(example.prompt)))\n  chosen:   \(String(reflecting: base.decode(example.chosen)))\n  rejected: \(String(reflecting: base.decode(example.rejected)))")
        return PreferenceData(train: train.pairs, heldOut: heldOut.pairs, basePropertyRate: rate)
    }

    /// The pairs of training step `step` (0-based): consecutive slices of a shuffled order, reshuffled each epoch.
    struct Batches {
        let pairs: [PreferencePair]
        let size: Int
        var generator: RandomGenerator
        var order: [Int] = []
        var position = 0

        init(_ pairs: [PreferencePair], size: Int, seed: UInt64) {
            self.pairs = pairs
            self.size = min(size, pairs.count)
            generator = RandomGenerator(seed: seed)
        }

        mutating func next() -> [PreferencePair] {
            if position + size > order.count {
                order = Array(pairs.indices)
                for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, generator.nextInt(below: i + 1)) }
                position = 0
            }
            defer { position += size }
            return order[position..<(position + size)].map { pairs[$0] }
        }
    }
}
