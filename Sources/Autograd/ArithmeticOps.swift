// Arithmetic on Variables, with broadcasting.
//
//   out = a + b   ∂out/∂a = 1,      ∂out/∂b = 1
//   out = a − b   ∂out/∂a = 1,      ∂out/∂b = −1
//   out = a · b   ∂out/∂a = b,      ∂out/∂b = a
//   out = a / b   ∂out/∂a = 1/b,    ∂out/∂b = −a/b²
//   out = −a      ∂out/∂a = −1
// Each gradient is then summed back to its input's shape (GradientReduction.swift).

import Tensor

extension Variable {
    public static func + (a: Variable, b: Variable) -> Variable {
        Variable(a.value + b.value, op: "add", parents: [a, b]) { g in
            [g.summed(toShape: a.shape), g.summed(toShape: b.shape)]
        }
    }

    public static func - (a: Variable, b: Variable) -> Variable {
        Variable(a.value - b.value, op: "subtract", parents: [a, b]) { g in
            [g.summed(toShape: a.shape), (-g).summed(toShape: b.shape)]
        }
    }

    public static func * (a: Variable, b: Variable) -> Variable {
        Variable(a.value * b.value, op: "multiply", parents: [a, b]) { g in
            [(g * b.value).summed(toShape: a.shape), (g * a.value).summed(toShape: b.shape)]
        }
    }

    public static func / (a: Variable, b: Variable) -> Variable {
        Variable(a.value / b.value, op: "divide", parents: [a, b]) { g in
            let gOverB = g / b.value
            return [gOverB.summed(toShape: a.shape), (-gOverB * a.value / b.value).summed(toShape: b.shape)]
        }
    }

    public static prefix func - (a: Variable) -> Variable {
        Variable(-a.value, op: "negate", parents: [a]) { g in [-g] }
    }

    // A Float on either side is a constant.
    public static func + (a: Variable, b: Float) -> Variable {
        Variable(a.value + b, op: "add", parents: [a]) { g in [g] }
    }
    public static func + (a: Float, b: Variable) -> Variable { b + a }
    public static func - (a: Variable, b: Float) -> Variable { a + (-b) }
    public static func - (a: Float, b: Variable) -> Variable { -b + a }
    public static func * (a: Variable, b: Float) -> Variable {
        Variable(a.value * b, op: "scale", parents: [a]) { g in [g * b] }
    }
    public static func * (a: Float, b: Variable) -> Variable { b * a }
    public static func / (a: Variable, b: Float) -> Variable { a * (1 / b) }
    public static func / (a: Float, b: Variable) -> Variable {
        // out = a / b   ∂out/∂b = −a / b²
        Variable(a / b.value, op: "reciprocal", parents: [b]) { g in [-g * a / b.value.squared()] }
    }
}
