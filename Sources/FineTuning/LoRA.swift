// Applying LoRA to a model: choosing layers by name, freezing the rest, merging.
//
// PEFT's `target_modules`: a target names a Linear layer by the end of its
// dotted path ("attn.c_attn" matches "transformer.h.0.attn.c_attn" in every
// block) and, for a layer that stacks several projections, the output columns
// to adapt. For the GPT the names a reader knows are provided:
//   query → c_attn columns 0..<C,  key → C..<2C,  value → 2C..<3C
//   attn.c_proj, mlp.c_fc, mlp.c_proj → the whole layer
//   all-linear → all six (PEFT's target_modules="all-linear")
// `LoRA.apply` freezes every parameter of the model (no gradients, and an
// optimizer built afterwards holds no state for them), then attaches one
// adapter per target and layer; only the adapters' A and B are trainable.
// The trainable fraction is  Σ r·(in + w) / (base parameters + adapters);
// for r = 8 on q and v of W12's GPT that is 4 blocks · 2 · 8 · (128 + 128) =
// 16 384 numbers of 804 096 + 16 384, 1.997%.

import Autograd
import Foundation
import NN
import Tensor

/// The hyper-parameters of a LoRA fine-tune, PEFT's `LoraConfig` (`r`, `lora_alpha`, `lora_dropout`).
///
/// Every adapter ``LoRA`` attaches gets these three numbers: it learns W = W₀ + (α/r)·B·A on its layer.
/// They are written into the adapter file's metadata, and loading refuses adapters whose rank or α
/// differ. The defaults are W13's (`docs/BENCHMARKS.md`) and `lab-finetune lora`'s.
public struct LoRAConfiguration: Sendable, Equatable, Codable {
    /// r, the rank of each update B·A (A is [r, in], B is [w, r]), so an adapter trains r·(in + w)
    /// numbers instead of the layer's w·in. At least 1.
    ///
    /// Default 8, PEFT's default `r`: on q and v of W12's GPT that is 16 384 numbers, 2.00% of the
    /// model. The LoRA paper (§7.2) finds a very small rank already competitive on the query and value
    /// projections. A larger rank, or adapters on more layers (`--targets all-linear`), trains more
    /// numbers and closed more of the gap to full fine-tuning in this lab's runs
    /// (`docs/phase-10-finetuning.md`). The lab's `--rank`.
    public var rank = 8
    /// α, the scale of the update: B·A is multiplied by α / r before it is added. Positive.
    ///
    /// Default 16, twice the rank, so updates are scaled by 2; PEFT's own default is α = 8 (a scale of 1).
    /// With Adam, changing α acts much like changing the learning rate, so the LoRA paper (§4.1) sets α
    /// once and does not tune it: keep α when you change r, and the division by r keeps the update's
    /// size comparable across ranks. The lab's `--alpha`.
    public var alpha: Float = 16
    /// p, the dropout probability on each adapter's input (PEFT's `lora_dropout`): in training mode
    /// the adapter sees dropout(x) while the frozen layer sees x. In [0, 1).
    ///
    /// Default 0, PEFT's default too: no `Dropout` module is made at all. The base it adapts (W12) is
    /// trained without dropout, and the lab has no option for it; a p above 0 regularises the adapters
    /// when the fine-tuning set is small enough to memorise.
    public var dropout: Float = 0

    /// A configuration with rank `rank`, scale numerator `alpha` and adapter dropout `dropout`.
    public init(rank: Int = 8, alpha: Float = 16, dropout: Float = 0) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
    }
}

/// Which layers (and which of their output columns) receive an adapter.
public struct LoRATarget: Sendable, Equatable {
    /// The name the target was asked for ("query").
    public var name: String
    /// The end of the layer's dotted path ("attn.c_attn").
    public var layerSuffix: String
    /// The output columns to adapt; nil for all of them.
    public var columns: Range<Int>?
    /// The adapter's child name inside the layer ("lora_q").
    public var adapterName: String

    /// A target from its parts; `columns` nil adapts every output column of the layer.
    public init(name: String, layerSuffix: String, columns: Range<Int>? = nil, adapterName: String = "lora") {
        self.name = name
        self.layerSuffix = layerSuffix
        self.columns = columns
        self.adapterName = adapterName
    }

    /// The GPT's layers by the names used in the LoRA paper and PEFT; throws for any other name.
    ///
    /// "query" ("q"), "key" ("k") and "value" ("v") are the three C-column slices of `attn.c_attn`, each
    /// with its own adapter name ("lora_q", "lora_k", "lora_v"); "attn.c_proj", "mlp.c_fc" and
    /// "mlp.c_proj" are whole layers, adapted under the name "lora".
    /// - Parameters:
    ///   - name: one of ``LoRATarget/knownGPTNames`` (or the short "q", "k", "v").
    ///   - c: C, the model's embedding size (the `embeddingSize:` label), which places the q, k and v slices.
    /// - Throws: `LoRAError.unknownTarget` for any other name, listing the known ones.
    public static func gpt(_ name: String, embeddingSize c: Int) throws -> LoRATarget {
        switch name {
        case "query", "q": return LoRATarget(name: "query", layerSuffix: "attn.c_attn", columns: 0..<c, adapterName: "lora_q")
        case "key", "k": return LoRATarget(name: "key", layerSuffix: "attn.c_attn", columns: c..<(2 * c), adapterName: "lora_k")
        case "value", "v": return LoRATarget(name: "value", layerSuffix: "attn.c_attn", columns: (2 * c)..<(3 * c), adapterName: "lora_v")
        case "attn.c_proj", "mlp.c_fc", "mlp.c_proj": return LoRATarget(name: name, layerSuffix: name)
        default: throw LoRAError.unknownTarget(name, known: knownGPTNames + [allLinear])
        }
    }

    /// The six names above, every Linear layer of a block.
    public static let knownGPTNames = ["query", "key", "value", "attn.c_proj", "mlp.c_fc", "mlp.c_proj"]
    /// The name that stands for all six.
    public static let allLinear = "all-linear"

    /// Several names, "all-linear" (PEFT's name) standing for all six: the QLoRA paper found adapters on
    /// every Linear layer of a block, not on q and v alone, were needed to match full fine-tuning.
    public static func gpt(_ names: [String], embeddingSize c: Int) throws -> [LoRATarget] {
        try names.flatMap { $0 == allLinear ? knownGPTNames : [$0] }.map { try gpt($0, embeddingSize: c) }
    }
}

/// What can go wrong when attaching, saving or loading adapters.
public enum LoRAError: Error, Equatable, CustomStringConvertible {
    /// A target name `LoRATarget.gpt` does not know, with the names it does.
    case unknownTarget(String, known: [String])
    /// No Linear layer of the model has a dotted path ending in this suffix.
    case noLayerMatches(String)
    /// A target's output columns reach past the `outputs` columns of the layer it matched.
    case columnsOutsideLayer(target: String, layer: String, columns: Range<Int>, outputs: Int)
    /// The layer already carries an adapter of this name (the same target given twice, or a second LoRA).
    case alreadyAdapted(layer: String, adapter: String)
    /// The module holding the layer at this path does not let a `LoRALinear` take its place
    /// (its `replaceChild(_:with:)` returns false).
    case layerNotReplaceable(String)
    /// An adapter file whose metadata (format, rank, α or targets) differ from the adapters attached.
    case notAnAdapterFile(path: String, reason: String)

    /// One sentence naming the target, layer or file and what is wrong.
    public var description: String {
        switch self {
        case .unknownTarget(let name, let known):
            "LoRA: unknown target '\(name)' (known: \(known.joined(separator: ", ")))"
        case .noLayerMatches(let suffix):
            "LoRA: no Linear layer of the model has a path ending in '\(suffix)'"
        case .columnsOutsideLayer(let target, let layer, let columns, let outputs):
            "LoRA: target '\(target)' adapts columns \(columns) but \(layer) has \(outputs) outputs"
        case .alreadyAdapted(let layer, let adapter):
            "LoRA: \(layer) already has an adapter named '\(adapter)'"
        case .layerNotReplaceable(let path):
            "LoRA: the module holding \(path) does not let another layer take its place (Module.replaceChild)"
        case .notAnAdapterFile(let path, let reason):
            "LoRA: \(path) is not an adapter file for this model: \(reason)"
        }
    }
}

/// The adapters attached to one model, and what can be done with them as a whole.
public final class LoRA {
    /// One adapter and the layer it belongs to.
    public struct Site {
        /// The layer's dotted path in the model.
        public let layerPath: String
        /// The frozen Linear layer the adapter adds to (the `base` of its `LoRALinear`).
        public let layer: Linear
        /// The adapter's child name inside the layer's wrapper ("lora_q").
        public let adapterName: String
        /// The adapter: A, B, and the columns it adds to.
        public let adapter: LoRAAdapter
    }

    /// The rank, α and dropout every adapter was made with.
    public let configuration: LoRAConfiguration
    /// The target names, in the order given ("query,value").
    public let targetNames: [String]
    /// Every adapter with its layer, target by target, and within a target in the model's module order.
    public let sites: [Site]

    /// Freezes `model` and attaches an adapter to every Linear matching a target, A drawn from `seed`.
    /// Each adapted Linear is put inside a `LoRALinear` in its parent (`Module.setSubmodule`).
    public init(attachingTo model: some Module, targets: [LoRATarget], configuration: LoRAConfiguration = LoRAConfiguration(),
                seed: UInt64 = 0) throws {
        // The model's Linear layers by path, with the wrapper already around each one, if any.
        let linears: [(path: String, layer: Linear, wrapper: LoRALinear?)] = model.namedModules.compactMap { path, module in
            if let wrapper = module as? LoRALinear { return (path, wrapper.base, wrapper) }
            return (module as? Linear).map { (path, $0, nil) }
        }
        var sites: [Site] = []
        var generator = RandomGenerator(seed: seed)
        var planned: [(path: String, layer: Linear, target: LoRATarget)] = []
        for target in targets {
            let matches = linears.filter { $0.path == target.layerSuffix || $0.path.hasSuffix("." + target.layerSuffix) }
            guard !matches.isEmpty else { throw LoRAError.noLayerMatches(target.layerSuffix) }
            for (path, layer, wrapper) in matches {
                let columns = target.columns ?? 0..<layer.outputSize
                guard columns.upperBound <= layer.outputSize else {
                    throw LoRAError.columnsOutsideLayer(target: target.name, layer: path, columns: columns, outputs: layer.outputSize)
                }
                let taken = (wrapper?.adapters.map(\.name) ?? []) + planned.filter { $0.layer === layer }.map(\.target.adapterName)
                guard !taken.contains(target.adapterName) else {
                    throw LoRAError.alreadyAdapted(layer: path, adapter: target.adapterName)
                }
                planned.append((path, layer, target))
            }
        }
        // A wrapper without adapters computes what its Linear does, so wrapping first changes nothing
        // if a later layer cannot be wrapped.
        var wrappers: [String: LoRALinear] = [:]
        for (path, layer, wrapper) in linears where planned.contains(where: { $0.path == path }) {
            if let wrapper { wrappers[path] = wrapper; continue }
            let fresh = LoRALinear(wrapping: layer)
            guard model.setSubmodule(path, to: fresh) else { throw LoRAError.layerNotReplaceable(path) }
            wrappers[path] = fresh
        }
        model.freeze()
        for (path, layer, target) in planned {
            let adapter = LoRAAdapter(inputSize: layer.inputSize, columns: target.columns ?? 0..<layer.outputSize,
                                      rank: configuration.rank, alpha: configuration.alpha,
                                      dropout: configuration.dropout, seed: generator.next())
            wrappers[path]!.attach(adapter, as: target.adapterName)
            sites.append(Site(layerPath: path, layer: layer, adapterName: target.adapterName, adapter: adapter))
        }
        self.configuration = configuration
        self.targetNames = targets.map(\.name)
        self.sites = sites
    }

    /// Every adapter parameter by its path in the model ("transformer.h.0.attn.c_attn.lora_q.lora_A").
    public var namedParameters: [(String, Variable)] {
        sites.flatMap { site in
            site.adapter.localParameters.map { ("\(site.layerPath).\(site.adapterName).\($0.0)", $0.1) }
        }
    }

    /// The trainable numbers the adapters add.
    public var parameterCount: Int { namedParameters.reduce(0) { $0 + $1.1.value.count } }

    /// Whether the updates are folded into the weights.
    public var isMerged: Bool { sites.first?.adapter.isMerged ?? false }

    /// Folds every update into its layer's weight (the adapted model at the base model's cost).
    public func merge() {
        for site in sites { site.adapter.merge(into: site.layer) }
    }

    /// Takes every update out of the weights again, restoring W₀.
    public func unmerge() {
        for site in sites { site.adapter.unmerge(from: site.layer) }
    }
}
