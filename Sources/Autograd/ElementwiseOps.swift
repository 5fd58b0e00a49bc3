// Elementwise functions of Variables and their derivatives.
//
//   exp:     y = eˣ             y' = y
//   log:     y = ln x           y' = 1/x
//   tanh:    y = tanh x         y' = 1 − y²
//   sigmoid: y = 1/(1 + e⁻ˣ)    y' = y(1 − y)
//   relu:    y = max(x, 0)      y' = 1 if x > 0 else 0
//   sqrt:    y = √x             y' = 1/(2y)
//   pow:     y = xᵖ             y' = p·xᵖ⁻¹
//   square:  y = x²             y' = 2x
//   gelu (tanh form): y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³)
//            y' = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²)
//   silu:    y = x·σ(x)         y' = σ(x)(1 + x(1 − σ(x)))

import Tensor

extension Variable {
    public func exp() -> Variable {
        let y = value.exp()
        return Variable(y, op: "exp", parents: [self]) { g in [g * y] }
    }

    public func log() -> Variable {
        let x = value
        return Variable(x.log(), op: "log", parents: [self]) { g in [g / x] }
    }

    public func tanh() -> Variable {
        let y = value.tanh()
        return Variable(y, op: "tanh", parents: [self]) { g in
            // BEGIN EXERCISE tanh-backward
            return [g * (1 - y.squared())]
            // END EXERCISE
        }
    }

    public func sigmoid() -> Variable {
        let y = value.sigmoid()
        return Variable(y, op: "sigmoid", parents: [self]) { g in
            // BEGIN EXERCISE sigmoid-backward
            return [g * y * (1 - y)]
            // END EXERCISE
        }
    }

    public func relu() -> Variable {
        let x = value
        return Variable(x.relu(), op: "relu", parents: [self]) { g in [g * (x .> 0)] }
    }

    public func sqrt() -> Variable {
        let y = value.sqrt()
        return Variable(y, op: "sqrt", parents: [self]) { g in [g / (2 * y)] }
    }

    public func pow(_ p: Float) -> Variable {
        let x = value
        return Variable(x.pow(p), op: "pow", parents: [self]) { g in [g * p * x.pow(p - 1)] }
    }

    public func squared() -> Variable {
        let x = value
        return Variable(x.squared(), op: "square", parents: [self]) { g in [g * 2 * x] }
    }

    public func gelu() -> Variable {
        let x = value
        return Variable(x.gelu(), op: "gelu", parents: [self]) { g in [x.geluGradient(upstream: g)] }
    }

    public func silu() -> Variable {
        let x = value
        let s = x.sigmoid()
        return Variable(x * s, op: "silu", parents: [self]) { g in [g * s * (1 + x * (1 - s))] }
    }
}
