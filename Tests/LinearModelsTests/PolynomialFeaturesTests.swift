import Testing
import LinearModels

@Suite struct PolynomialFeaturesTests {
    @Test func degreeTwoWithBiasByHand() throws {
        var poly = PolynomialFeatures(degree: 2, includeBias: true)
        let out = try poly.fitTransform(Tensor([[2, 3], [-1, 0.5]]))
        // 1, a, b, a², ab, b²
        #expect(out.shape == [2, 6])
        #expect(out.scalars == [1, 2, 3, 4, 6, 9,
                                1, -1, 0.5, 1, -0.5, 0.25])
        #expect(poly.featureNames(input: ["a", "b"]) == ["1", "a", "b", "a^2", "a b", "b^2"])
    }

    @Test func degreeThreeOrderIsScikitLearns() throws {
        var poly = PolynomialFeatures(degree: 3)
        let out = try poly.fitTransform(Tensor([[2, 3]]))
        #expect(poly.featureNames() == ["x0", "x1", "x0^2", "x0 x1", "x1^2", "x0^3", "x0^2 x1", "x0 x1^2", "x1^3"])
        #expect(out.scalars == [2, 3, 4, 6, 9, 8, 12, 18, 27])
        // C(d + k, k) − 1 columns without the bias: 3 features, degree 3 → 19.
        var wide = PolynomialFeatures(degree: 3)
        try wide.fit(Tensor(shape: [1, 3], repeating: 1))
        #expect(wide.outputFeatureCount == 19)
    }

    @Test func interactionOnlyDropsThePowers() throws {
        var poly = PolynomialFeatures(degree: 2, interactionOnly: true)
        let out = try poly.fitTransform(Tensor([[2, 3, 5]]))
        #expect(poly.featureNames() == ["x0", "x1", "x2", "x0 x1", "x0 x2", "x1 x2"])
        #expect(out.scalars == [2, 3, 5, 6, 10, 15])
    }

    @Test func linearRegressionOnPolynomialFeaturesRecoversAQuadratic() throws {
        // y = 1 + 2x − 3x² exactly, on x in [−2, 2].
        let xs: [Float] = (0..<41).map { Float($0) / 10 - 2 }
        var poly = PolynomialFeatures(degree: 2)
        let features = try poly.fitTransform(Tensor(shape: [41, 1], scalars: xs))
        var model = LinearRegression(solver: .qr)
        try model.fit(features, Tensor(xs.map { 1 + 2 * $0 - 3 * $0 * $0 }))
        #expect(maxDifference(model.coefficients, [2, -3]) < 1e-4)
        #expect(abs(model.intercept - 1) < 1e-4)
    }

    @Test func badDegreeAndNaNGiveTypedErrors() throws {
        var poly = PolynomialFeatures(degree: 0)
        #expect(throws: EstimatorError.invalidParameter(name: "degree", value: "0", expected: "at least 1")) {
            try poly.fit(Tensor([[1, 2]]))
        }
        var ok = PolynomialFeatures()
        #expect(throws: EstimatorError.nonFiniteValue(row: 1, column: 0)) {
            try ok.fit(Tensor([[1, 2], [.nan, 2]]))
        }
    }
}
