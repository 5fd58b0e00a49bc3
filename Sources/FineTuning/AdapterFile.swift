// Saving and loading LoRA adapters on their own.
//
// A fine-tune's result is the adapters, not the model: a few tens of kilobytes
// next to the base model's megabytes, so one base can carry many fine-tunes.
// The file is safetensors (PEFT's adapter_model.safetensors): each A and B under
// its path in the model, "transformer.h.0.attn.c_attn.lora_q.lora_A", and the
// configuration in the metadata (format, rank, alpha, dropout, targets), so
// Python's `safetensors` opens it. Loading checks the metadata against the
// adapters attached (same rank, α and targets) and the keys strictly, as a
// state dict is loaded; nothing changes unless everything fits. Writes are
// atomic (a temporary file renamed into place).

import Foundation
import LabKit
import NN
import Tensor

extension LoRA {
    static let formatName = "mllab-lora"

    /// The metadata that identifies these adapters.
    var fileMetadata: [String: String] {
        ["format": Self.formatName, "rank": String(configuration.rank), "alpha": String(configuration.alpha),
         "dropout": String(configuration.dropout), "targets": targetNames.joined(separator: ",")]
    }

    /// Writes every adapter's A and B (the unmerged values) to a safetensors file at `path`.
    public func save(to path: String) throws {
        var tensors: [String: Tensor] = [:]
        for (name, parameter) in namedParameters { tensors[name] = parameter.value }
        try Safetensors.write(tensors, metadata: fileMetadata, to: path)
    }

    /// Replaces every adapter's A and B with the ones saved at `path` by an identically configured LoRA.
    /// Throws `DataError` for an unreadable file, `LoRAError` for other adapters' metadata and
    /// `StateDictError` for a missing, extra or misshapen tensor; a merged LoRA stays merged.
    public func load(from path: String) throws {
        try load(DataFile.read(path), path: path)
    }

    /// Replaces the adapters with the ones in the adapter-file bytes `data`, as `load(from:)`;
    /// `path` names them in errors.
    public func load(_ data: Data, path: String) throws {
        let file = try Safetensors.decode(data, path: path)
        let expected = fileMetadata
        for key in ["format", "rank", "alpha", "targets"] where file.metadata[key] != expected[key] {
            throw LoRAError.notAnAdapterFile(
                path: path, reason: "its \(key) is \(file.metadata[key].map { "'\($0)'" } ?? "missing"), expected '\(expected[key]!)'")
        }
        let parameters = namedParameters
        for (name, parameter) in parameters {
            guard let tensor = file.tensors[name] else {
                throw StateDictError.missingKey(source: path, key: name, expected: parameter.shape)
            }
            guard tensor.shape == parameter.shape else {
                throw StateDictError.shapeMismatch(source: path, key: name, expected: parameter.shape, found: tensor.shape)
            }
        }
        let known = Set(parameters.map(\.0))
        if let extra = file.tensors.keys.sorted().first(where: { !known.contains($0) }) {
            throw StateDictError.unexpectedKey(source: path, key: extra, found: file.tensors[extra]!.shape)
        }
        let wasMerged = isMerged
        if wasMerged { unmerge() }
        for (name, parameter) in parameters { parameter.value = file.tensors[name]! }
        if wasMerged { merge() }
    }
}
