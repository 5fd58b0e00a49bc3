// StateDict: saving and loading a module's parameters and buffers.
//
// A module tree is flattened into named tensors, the names being PyTorch's
// state_dict keys: the dotted path of each parameter and buffer
// ("0.weight", "encoder.norm.running_mean"). They are stored as a safetensors
// file (TensorIO/Safetensors.swift), so a checkpoint can be opened with
// Python's `safetensors.torch.load_file` and fed to `model.load_state_dict`.
// Loading is strict, like PyTorch's default: every key of the module must be in
// the file with the same shape and the file may hold no other key; otherwise a
// `StateDictError` names the key (and both shapes), and nothing is changed.
// Writes are atomic (a temporary file renamed into place).

import Autograd
import Foundation
import TensorIO
import Tensor

/// Why a state dict (or a parameter file) does not fit a module.
public enum StateDictError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The module has `key` (of shape `expected`) but the source lacks it.
    case missingKey(source: String, key: String, expected: [Int])
    /// The source holds `key` (of shape `found`) which the module does not have.
    case unexpectedKey(source: String, key: String, found: [Int])
    /// `key` has shape `found` in the source and `expected` in the module.
    case shapeMismatch(source: String, key: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .missingKey(let source, let key, let expected):
            return "\(source): missing key '\(key)' (the module expects shape \(expected))"
        case .unexpectedKey(let source, let key, let found):
            return "\(source): unexpected key '\(key)' of shape \(found) (the module has no such parameter or buffer)"
        case .shapeMismatch(let source, let key, let expected, let found):
            return "\(source): key '\(key)' has shape \(found), the module expects \(expected)"
        }
    }
}

/// One named piece of a module's state and how to replace it.
private struct StateEntry {
    let name: String
    let shape: [Int]
    let assign: (Tensor) -> Void
}

extension Module {
    /// Every parameter and buffer, with its dotted path.
    private func stateEntries(prefix: String = "") -> [StateEntry] {
        var entries: [StateEntry] = []
        for (name, parameter) in localParameters {
            entries.append(StateEntry(name: prefix + name, shape: parameter.shape) { parameter.value = $0 })
        }
        for (name, buffer) in localBuffers {
            entries.append(StateEntry(name: prefix + name, shape: buffer.shape) { self.setBuffer(name, $0) })
        }
        for (childName, child) in children {
            entries += child.stateEntries(prefix: prefix + childName + ".")
        }
        return entries
    }

    /// The parameters and buffers by PyTorch state_dict name (copies of their current values).
    public func stateDict() -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for (name, parameter) in namedParameters { result[name] = parameter.value }
        for (name, buffer) in namedBuffers { result[name] = buffer }
        return result
    }

    /// Replaces every parameter and buffer with the tensor of the same name in `tensors`.
    /// Throws (changing nothing) on a missing key, an unexpected key or a shape mismatch;
    /// `source` names where the tensors came from in the error.
    public func loadStateDict(_ tensors: [String: Tensor], source: String = "state dict") throws {
        let entries = stateEntries()
        let known = Set(entries.map(\.name))
        for entry in entries {
            guard let tensor = tensors[entry.name] else {
                throw StateDictError.missingKey(source: source, key: entry.name, expected: entry.shape)
            }
            guard tensor.shape == entry.shape else {
                throw StateDictError.shapeMismatch(source: source, key: entry.name, expected: entry.shape, found: tensor.shape)
            }
        }
        if let extra = tensors.keys.sorted().first(where: { !known.contains($0) }) {
            throw StateDictError.unexpectedKey(source: source, key: extra, found: tensors[extra]!.shape)
        }
        for entry in entries { entry.assign(tensors[entry.name]!) }
    }

    /// Writes the state dict to a safetensors file at `path` (F32, atomically).
    public func saveParameters(to path: String, metadata: [String: String] = [:]) throws {
        try Safetensors.write(stateDict(), metadata: metadata, to: path)
    }

    /// Loads the state dict from the safetensors file at `path`. Throws LabKit's `DataError`
    /// for an unreadable file and `StateDictError` for one that does not fit this module.
    public func loadParameters(from path: String) throws {
        let file = try Safetensors.read(contentsOf: path)
        try loadStateDict(file.tensors, source: path)
    }
}
