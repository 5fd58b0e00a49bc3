// Tests of LabKit's TwoMoons set: shape, balance, each point near its own
// moon, and the same set from the same seed (a different one from another).
import Foundation
import Testing
@testable import LabKit

@Suite struct TwoMoonsTests {
    @Test(arguments: [2, 7, 200])
    func shapeAndLabelBalance(_ count: Int) {
        let moons = TwoMoons(count: count, noise: 0.1, seed: 3)
        #expect(moons.points.shape == [count, 2])
        #expect(moons.labels.count == count)
        #expect(Set(moons.labels).isSubset(of: [0, 1]))
        #expect(moons.labels.filter { $0 == 0 }.count == (count + 1) / 2)
        #expect(moons.labels.filter { $0 == 1 }.count == count / 2)
    }

    @Test func noiselessPointsLieOnTheirMoons() {
        let moons = TwoMoons(count: 101, noise: 0, seed: 1)
        let xy = moons.points.scalars
        for (i, label) in moons.labels.enumerated() {
            let x = Double(xy[2 * i]), y = Double(xy[2 * i + 1])
            // Class 0: unit circle about (0, 0), y ≥ 0. Class 1: unit circle about (1, 0.5), y ≤ 0.5.
            let (cx, cy) = label == 0 ? (0.0, 0.0) : (1.0, 0.5)
            #expect(abs(((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot() - 1) < 1e-5)
            #expect(label == 0 ? y >= -1e-6 : y <= 0.5 + 1e-6)
        }
        // The points are shuffled: the first half is not all class 0.
        #expect(moons.labels.prefix(50).contains(1))
    }

    @Test func sameSeedGivesTheSameSet() {
        let a = TwoMoons(count: 64, noise: 0.2, seed: 42)
        let b = TwoMoons(count: 64, noise: 0.2, seed: 42)
        let c = TwoMoons(count: 64, noise: 0.2, seed: 43)
        #expect(a.points.scalars == b.points.scalars)
        #expect(a.labels == b.labels)
        #expect(a.points.scalars != c.points.scalars)
    }

    @Test func noiseHasTheRequestedSpread() {
        // Residual from the noiseless set (same seed → same order) has standard deviation ≈ σ.
        let clean = TwoMoons(count: 4000, noise: 0, seed: 9)
        let noisy = TwoMoons(count: 4000, noise: 0.2, seed: 9)
        #expect(clean.labels == noisy.labels)
        let residual = zip(noisy.points.scalars, clean.points.scalars).map { Double($0 - $1) }
        let std = (residual.map { $0 * $0 }.reduce(0, +) / Double(residual.count)).squareRoot()
        #expect(abs(std - 0.2) < 0.01)
    }
}
