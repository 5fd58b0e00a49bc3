import Testing
@testable import LinearModels

@Suite struct GramMatrixTests {
    /// [X − x̄ | y − ȳ]ᵀ[X − x̄ | y − ȳ] by a plain triple loop in Double.
    func naive(_ x: Tensor, _ y: Tensor, centred: Bool) -> [Double] {
        let (n, d) = (x.shape[0], x.shape[1])
        let xs = x.scalars.map(Double.init), ys = y.scalars.map(Double.init)
        var rows = (0..<n).map { i in (0..<d).map { xs[i * d + $0] } + [ys[i]] }
        if centred {
            for j in 0...d {
                let mean = rows.map { $0[j] }.reduce(0, +) / Double(n)
                for i in 0..<n { rows[i][j] -= mean }
            }
        }
        var g = [Double](repeating: 0, count: (d + 1) * (d + 1))
        for row in rows { for a in 0...d { for b in 0...d { g[a * (d + 1) + b] += row[a] * row[b] } } }
        return g
    }

    @Test(arguments: [(1, 5), (37, 200), (47, 3000), (64, 999)])
    func matchesTheTripleLoop(features d: Int, samples n: Int) throws {
        let x = Tensor.normal([n, d], mean: 0.5, seed: UInt64(d))
        let y = Tensor.normal([n], seed: UInt64(n))
        for centred in [false, true] {
            for threads in [1, 2] {
                let g = GramMatrix.augmented(x, y, centring: InterceptByCentring(x, y, enabled: centred), threads: threads)
                let reference = naive(x, y, centred: centred)
                let scale = reference.map(abs).max()!
                let worst = zip(g, reference).map { abs($0 - $1) }.max()!
                #expect(worst <= 1e-5 * scale, "d \(d) n \(n) centred \(centred) threads \(threads): error \(worst) of \(scale)")
            }
        }
    }
}
