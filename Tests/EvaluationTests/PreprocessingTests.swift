// Tests of the preprocessing transformers and the pipeline: statistics against
// hand-computed values, round trips through inverseTransform, constant columns
// handled as scikit-learn does, one-hot layout and unknown categories, and a
// pipeline whose final model must see the transformed features.
import Foundation
import Tensor
import Testing
@testable import Evaluation

@Suite struct PreprocessingTests {
    static func close(_ a: [Float], _ b: [Float], _ tolerance: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * Swift.max(1, abs($1)) }
    }

    @Test func standardScalerLearnsMeanAndPopulationStd() throws {
        // Column 0: 1 2 3 4 → μ 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25, σ = 1.118034.
        // Column 1 is column 0 × 10: σ = 11.18034. Column 2 is constant: σ = 0 → scale 1, output 0.
        let x = Tensor([[1, 10, 5], [2, 20, 5], [3, 30, 5], [4, 40, 5]])
        var scaler = StandardScaler()
        let z = try scaler.fitTransform(x)
        #expect(Self.close(scaler.mean, [2.5, 25, 5]))
        #expect(Self.close(scaler.scale, [1.118034, 11.18034, 1]))
        // Row 0: (1 − 2.5)/1.118034 = −1.341641 in both scaled columns, 0 in the constant one.
        #expect(Self.close(Array(z.scalars[0..<3]), [-1.341641, -1.341641, 0]))
        #expect(Self.close(scaler.inverseTransform(z).scalars, x.scalars))
        // Each transformed column has mean 0 and population variance 1 (except the constant one).
        for j in 0..<2 {
            let column = (0..<4).map { Double(z.scalars[$0 * 3 + j]) }
            let mean = column.reduce(0, +) / 4
            #expect(abs(mean) < 1e-6)
            #expect(abs(column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 4 - 1) < 1e-5)
        }
    }

    @Test func standardScalerFlagsTurnItsPartsOff() throws {
        let x = Tensor([[1, 10], [3, 30]])                    // μ = (2, 20), σ = (1, 10)
        var centreOnly = StandardScaler(withStd: false)
        #expect(try centreOnly.fitTransform(x).scalars == [-1, -10, 1, 10])
        var scaleOnly = StandardScaler(withMean: false)
        #expect(Self.close(try scaleOnly.fitTransform(x).scalars, [1, 1, 3, 3]))
        #expect(Self.close(scaleOnly.inverseTransform(Tensor([[1, 1]])).scalars, [1, 10]))
    }

    @Test func scalersRejectNonFiniteInput() {
        var scaler = StandardScaler()
        #expect(throws: EstimatorError.nonFiniteValue(row: 1, column: 0)) {
            try scaler.fit(Tensor([[1, 2], [.nan, 3]]))
        }
        var minMax = MinMaxScaler(range: 1...1)
        #expect(throws: EstimatorError.self) { try minMax.fit(Tensor([[1], [2]])) }
    }

    @Test func minMaxScalerMapsEachColumnOntoTheRange() throws {
        // Column 0: 1 3 5 → 0 .5 1; column 1: −2 0 2 → 0 .5 1; column 2 constant 7 → 0 (range taken as 1).
        let x = Tensor([[1, -2, 7], [3, 0, 7], [5, 2, 7]])
        var unit = MinMaxScaler()
        #expect(Self.close(try unit.fitTransform(x).scalars, [0, 0, 0, 0.5, 0.5, 0, 1, 1, 0]))
        #expect(unit.dataMin == [1, -2, 7] && unit.dataMax == [5, 2, 7])
        // Onto [−1, 1]: scale = 2/4 = 0.5 for columns 0 and 1, 2/1 = 2 for the constant column;
        // offset = −1 − min·scale = −1.5, 0, −15. The constant column maps to −1.
        var symmetric = MinMaxScaler(range: -1...1)
        let z = try symmetric.fitTransform(x)
        #expect(Self.close(symmetric.scale, [0.5, 0.5, 2]))
        #expect(Self.close(symmetric.offset, [-1.5, 0, -15]))
        #expect(Self.close(z.scalars, [-1, -1, -1, 0, 0, -1, 1, 1, -1]))
        #expect(Self.close(symmetric.inverseTransform(z).scalars, x.scalars))
        // Values outside the fitted range are not clipped: 9 in column 0 → 9·0.5 − 1.5 = 3.
        #expect(Self.close(symmetric.transform(Tensor([[9, 0, 7]])).scalars, [3, 0, -1]))
    }

    @Test func oneHotEncoderReplacesEncodedColumnsInPlace() throws {
        // Columns 0 (categories 0 1 2) and 2 (categories 0 2) are encoded; column 1 passes through.
        let x = Tensor([[0, 1.5, 2], [1, 2.5, 0], [2, 3.5, 2]])
        var encoder = OneHotEncoder(columns: [2, 0])
        let encoded = try encoder.fitTransform(x)
        #expect(encoder.encodedColumns == [0, 2])
        #expect(encoder.categories == [[0, 1, 2], [0, 2]])
        #expect(encoded.shape == [3, 6])
        #expect(encoded.scalars == [1, 0, 0, 1.5, 0, 1,
                                    0, 1, 0, 2.5, 1, 0,
                                    0, 0, 1, 3.5, 0, 1])
        // Unknown categories (5 in column 0, 1 in column 2) become all zeros.
        #expect(encoder.transform(Tensor([[5, 9, 1]])).scalars == [0, 0, 0, 9, 0, 0])
        #expect(encoder.featureNames(input: ["a", "b", "c"]) == ["a_0", "a_1", "a_2", "b", "c_0", "c_2"])
    }

    @Test func oneHotEncoderOfEveryColumnAndBadColumns() throws {
        var all = OneHotEncoder()
        let encoded = try all.fitTransform(Tensor([[1, 0.5], [3, 0.5]]))
        #expect(encoded.scalars == [1, 0, 1, 0, 1, 1])
        #expect(all.featureNames(input: ["k", "v"]) == ["k_1", "k_3", "v_0.5"])
        var outside = OneHotEncoder(columns: [2])
        #expect(throws: EstimatorError.self) { try outside.fit(Tensor([[1, 2]])) }
        var twice = OneHotEncoder(columns: [0, 0])
        #expect(throws: EstimatorError.self) { try twice.fit(Tensor([[1, 2]])) }
    }

    @Test func pipelineFitsTheFinalModelOnTransformedFeatures() throws {
        // y = 3·x. After standardising, x' = (x − 2.5)/1.118034 has mean 0, and the line through the
        // origin fitted on (x', y) is w = Σx'y/Σx'² = Σ (x−2.5)·3x·σ / Σ (x−2.5)² = 3·(x·(x−2.5) summed: 5)·σ/5
        // = 3σ = 3.354102.
        let x = Tensor([[1], [2], [3], [4]])
        let y = Tensor([3, 6, 9, 12])
        var pipeline = Pipeline(steps: [StandardScaler()], final: OriginLineRegressor())
        try pipeline.fit(x, y)
        #expect(abs(pipeline.final.fittedFeatureMean) < 1e-6)
        #expect(abs(pipeline.final.weight - 3.354102) < 1e-4)
        // predict = final.predict(transform(x)): x = 4 → 3.354102 · 1.341641 = 4.5.
        #expect(abs(pipeline.predict(Tensor([[4]])).scalars[0] - 4.5) < 1e-4)
        #expect(pipeline.predict(x) == pipeline.final.predict(pipeline.transform(x)))
        // A Regressor pipeline scores with R²; the centred line misses the intercept 7.5: R² = 1 − 4·7.5²/45 = −4.
        let regressor: any Regressor = pipeline
        #expect(abs(regressor.score(x, y) - (-4)) < 1e-3)
    }

    @Test func pipelineOfAClassifierIsAClassifier() throws {
        // Min-max onto [0, 1] maps 0 … 10 to 0 … 1; the threshold 0.45 then splits at x = 4.5.
        let x = Tensor(shape: [11, 1]) { Float($0) }
        let y = Tensor((0..<11).map { $0 >= 5 ? Float(1) : 0 })
        var pipeline = Pipeline(steps: [MinMaxScaler(), StandardScaler(withMean: false, withStd: false)],
                                final: ThresholdClassifier(threshold: 0.45))
        try pipeline.fit(x, y)
        let classifier: any Classifier = pipeline
        #expect(classifier.classes == [0, 1])
        #expect(classifier.score(x, y) == 1)
        let probabilities = classifier.predictProba(Tensor([[10]]))
        // x = 10 → x' = 1 → P(1) = σ(10 · 0.55) = 0.995930.
        #expect(abs(probabilities.scalars[1] - 0.995930) < 1e-5)
    }
}
