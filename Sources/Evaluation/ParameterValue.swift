// ParameterValue: one hyperparameter setting (a penalty α = 0.1, a depth of 3,
// a solver name "lbfgs"), and a ParameterSet, the settings of one candidate
// model, keyed by name. A search builds each candidate from its set through a
// closure, so any estimator can be searched without reflection:
//     GridSearch(grid: ["alpha": [0.1, 1, 10]]).run(x, y) { try Ridge(alpha: $0.double("alpha")) }

import Tensor

/// One hyperparameter value: a real number, an integer or a name.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case double(Double)
    case int(Int)
    case string(String)

    /// The value as a real number (an integer converts), nil for a string.
    public var doubleValue: Double? {
        switch self {
        case .double(let value): return value
        case .int(let value): return Double(value)
        case .string: return nil
        }
    }

    /// The value as an integer (a whole real number converts), nil otherwise.
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value): return value.rounded() == value && abs(value) < 1e18 ? Int(value) : nil
        case .string: return nil
        }
    }

    /// The name, nil for a number.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var description: String {
        switch self {
        case .double(let value): return "\(value)"
        case .int(let value): return "\(value)"
        case .string(let value): return value
        }
    }
}

extension ParameterValue: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}

/// The hyperparameters of one candidate model, by name.
public typealias ParameterSet = [String: ParameterValue]

extension Dictionary where Key == String, Value == ParameterValue {
    /// The real value of parameter `name`; throws `EstimatorError.invalidParameter` when it is missing or a string.
    public func double(_ name: String) throws -> Double {
        guard let value = self[name]?.doubleValue else { throw missing(name, "a number") }
        return value
    }

    /// The integer value of parameter `name`; throws `EstimatorError.invalidParameter` when it is missing or not whole.
    public func int(_ name: String) throws -> Int {
        guard let value = self[name]?.intValue else { throw missing(name, "an integer") }
        return value
    }

    /// The string value of parameter `name`; throws `EstimatorError.invalidParameter` when it is missing or a number.
    public func string(_ name: String) throws -> String {
        guard let value = self[name]?.stringValue else { throw missing(name, "a string") }
        return value
    }

    private func missing(_ name: String, _ expected: String) -> EstimatorError {
        .invalidParameter(name: name, value: self[name]?.description ?? "(missing)", expected: expected)
    }
}
