import Foundation
// Tests of the built-in synthetic sets: a regression with known coefficients
// and Gaussian blobs around known centres.
import Testing
@testable import LabKit

@Suite struct SyntheticDataTests {
    @Test func regressionHasKnownSparseCoefficientsAndNoise() {
        let data = SyntheticRegression(count: 2000, features: 6, informative: 3, noise: 0.5, intercept: 2, seed: 4)
        #expect(data.x.shape == [2000, 6])
        #expect(data.y.shape == [2000])
        #expect(data.coefficients[3...].allSatisfy { $0 == 0 })
        #expect(data.coefficients[..<3].allSatisfy { $0 != 0 })
        // Residuals y − (Xw + b) are the noise: mean ≈ 0, standard deviation ≈ 0.5.
        let x = data.x.scalars, y = data.y.scalars
        var residuals: [Double] = []
        for i in 0..<2000 {
            var fit = Double(data.intercept)
            for j in 0..<6 { fit += Double(x[i * 6 + j] * data.coefficients[j]) }
            residuals.append(Double(y[i]) - fit)
        }
        let mean = residuals.reduce(0, +) / 2000
        let std = (residuals.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2000).squareRoot()
        #expect(abs(mean) < 0.05)
        #expect(abs(std - 0.5) < 0.05)
        // The same seed gives the same set.
        #expect(SyntheticRegression(count: 2000, features: 6, informative: 3, noise: 0.5, intercept: 2, seed: 4).y == data.y)
    }

    @Test func blobsAreBalancedAndCentredOnTheirCentres() {
        let blobs = GaussianBlobs(count: 3000, blobs: 3, dimensions: 2, spread: 0.5, seed: 7)
        #expect(blobs.points.shape == [3000, 2])
        #expect(blobs.centers.shape == [3, 2])
        let points = blobs.points.scalars, centres = blobs.centers.scalars
        for blob in 0..<3 {
            let members = blobs.labels.indices.filter { blobs.labels[$0] == blob }
            #expect(members.count == 1000)
            for axis in 0..<2 {
                let mean = members.map { Double(points[$0 * 2 + axis]) }.reduce(0, +) / Double(members.count)
                #expect(abs(mean - Double(centres[blob * 2 + axis])) < 0.1)
            }
        }
        #expect(GaussianBlobs(count: 3000, blobs: 3, dimensions: 2, spread: 0.5, seed: 7).points == blobs.points)
        #expect(GaussianBlobs(count: 3000, blobs: 3, dimensions: 2, spread: 0.5, seed: 8).points != blobs.points)
    }

    @Test func sineSumLabelsFollowTheirFormula() {
        let data = SineSumClassification(count: 4000, features: 12, noise: 0, seed: 3)
        #expect(data.x.shape == [4000, 12])
        let x = data.x.scalars, y = data.y.scalars
        for i in 0..<4000 {
            var logit: Double = 0
            for j in 0..<8 { logit += Foundation.sin(2 * Double(x[i * 12 + j])) }
            logit += Double(x[i * 12 + 8]) * Double(x[i * 12 + 9])
            if abs(logit) > 1e-4 { #expect(y[i] == (logit > 0 ? 1 : 0)) }
        }
        // Roughly balanced: the logit is symmetric about 0.
        let positives = y.reduce(0, +) / 4000
        #expect(positives > 0.45 && positives < 0.55)
        #expect(SineSumClassification(count: 4000, features: 12, noise: 0, seed: 3).x == data.x)
    }
}
