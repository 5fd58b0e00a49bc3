// RandomizedModule: a module that draws random numbers while it trains.
//
// Dropout draws a fresh mask m ~ Bernoulli(1 − p) on every call, so the mask of
// step t depends on how many masks the layer drew before. The parameters and
// the optimizer state are not enough to resume such a run: the generator's
// state must be saved too (PyTorch users save torch.get_rng_state() beside the
// state_dict for the same reason). Modules that own a generator expose it here,
// and `namedGenerators` collects them by dotted path, as `namedParameters`
// does for parameters, so a checkpoint can store and restore each one.

import Tensor

/// A module whose training behaviour depends on its own seeded random-number generator.
public protocol RandomizedModule: Module {
    /// The generator's current state (what the next call will draw from).
    var generator: RandomGenerator { get set }
}

extension Module {
    /// Every module in the tree that owns a generator, with its dotted path ("layers.3").
    public var namedGenerators: [(String, any RandomizedModule)] {
        var result: [(String, any RandomizedModule)] = []
        if let randomized = self as? any RandomizedModule { result.append(("", randomized)) }
        for (childName, child) in children {
            for (path, module) in child.namedGenerators {
                result.append((path.isEmpty ? childName : "\(childName).\(path)", module))
            }
        }
        return result
    }
}
