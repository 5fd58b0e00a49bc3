// Binning (constant columns, few distinct values, NaN) and histogram subtraction.
import Testing
import Tensor
@testable import Trees

@Suite struct FeatureBinningTests {
    /// n rows of `columns` made by `value(row, column)`.
    static func matrix(_ n: Int, _ columns: Int, _ value: (Int, Int) -> Float) -> Tensor {
        Tensor(shape: [n, columns], scalars: (0..<n * columns).map { value($0 / columns, $0 % columns) })
    }

    @Test func constantColumnGetsOneBinAndIsNeverSplit() throws {
        var generator = RandomGenerator(seed: 1)
        let x = Self.matrix(500, 2) { _, j in j == 0 ? 3.5 : Float(generator.normal()) }
        let binning = FeatureBinning(fitting: x)
        #expect(binning.binCounts[0] == 1)
        #expect(binning.binned(x).codes[0 ..< 500].allSatisfy { $0 == 0 })
        let y = Tensor(shape: [500], scalars: (0..<500).map { i in x.scalars[2 * i + 1] > 0 ? 1 : 0 })
        var model = GradientBoostingClassifier(rounds: 10)
        try model.fit(x, y)
        #expect(model.featureImportances(kind: .split)[0] == 0)
        #expect(model.featureImportances(kind: .split)[1] > 0)
    }

    @Test func fewerDistinctValuesThanBinsGiveOneBinPerValue() {
        let values: [Float] = [-2, 0, 1, 7, 9.5]
        let x = Self.matrix(1000, 1) { i, _ in values[(i * 7) % values.count] }
        let binning = FeatureBinning(fitting: x)
        #expect(binning.binCounts == [5])
        #expect(binning.upperEdges[0] == [-1, 0.5, 4, 8.25])
        for (b, v) in values.enumerated() { #expect(binning.bin(v, feature: 0) == UInt8(b)) }
    }

    @Test func quantileBinsHoldSimilarCountsAndNaNHasItsOwnBin() {
        var generator = RandomGenerator(seed: 2)
        let x = Self.matrix(20_000, 1) { i, _ in i % 10 == 0 ? .nan : Float(generator.normal()) }
        let binning = FeatureBinning(fitting: x, maxBins: 64)
        #expect(binning.binCounts[0] <= 64 && binning.binCounts[0] >= 60)
        let codes = binning.binned(x).codes
        #expect(codes.filter { $0 == FeatureBinning.missingBin }.count == 2_000)
        var counts = [Int](repeating: 0, count: binning.binCounts[0])
        for c in codes where c != FeatureBinning.missingBin { counts[Int(c)] += 1 }
        // 18 000 values in ~64 bins: every bin near 18 000 / 64 ≈ 281.
        #expect(counts.min()! > 200 && counts.max()! < 400)
        // The raw test x ≤ u_t agrees with the binned test bin ≤ t.
        for i in stride(from: 1, to: 20_000, by: 37) where i % 10 != 0 {
            let v = x.scalars[i], b = Int(binning.bin(v, feature: 0))
            if b < binning.upperEdges[0].count { #expect(v <= binning.upperEdges[0][b]) }
            if b > 0 { #expect(v > binning.upperEdges[0][b - 1]) }
        }
    }

    @Test func missingnessThatPredictsTheLabelIsLearned() throws {
        // Class 1 rows have feature 0 missing; otherwise feature 0 and 1 are noise.
        var generator = RandomGenerator(seed: 3)
        let n = 2_000
        let labels = (0..<n).map { _ in generator.nextUniformFloat() < 0.5 ? Float(1) : 0 }
        let x = Self.matrix(n, 2) { i, _ in labels[i] == 1 && generator.nextUniformFloat() < 0.9 ? .nan : Float(generator.normal()) }
        // Column 1 is never missing: make it plain noise.
        var scalars = x.scalars
        for i in 0..<n { scalars[2 * i + 1] = Float(generator.normal()) }
        let xs = Tensor(shape: [n, 2], scalars: scalars)
        var model = GradientBoostingClassifier(rounds: 20)
        try model.fit(xs, Tensor(shape: [n], scalars: labels))
        let root = model.trees[0][0].nodes[0]
        #expect(root.feature == 0)
        // About 90 % of class 1 is missing; the rest looks like class 0: accuracy ≈ 0.95.
        #expect(model.score(xs, Tensor(shape: [n], scalars: labels)) > 0.9)
        let missingRow = Tensor(shape: [1, 2], scalars: [.nan, 0.3])
        #expect(model.predict(missingRow).scalars == [1])
        #expect(model.predictProba(missingRow).scalars[1] > 0.9)
    }

    @Test func histogramSubtractionEqualsTheDirectHistogram() {
        var generator = RandomGenerator(seed: 4)
        let (n, d) = (3_000, 5)
        let x = Self.matrix(n, d) { i, j in j == 2 && i % 13 == 0 ? .nan : Float(generator.normal()) }
        let binned = FeatureBinning(fitting: x, maxBins: 32).binned(x)
        let g = (0..<n).map { _ in Float(generator.normal()) }, h = (0..<n).map { _ in generator.nextUniformFloat() }
        let all = (0..<Int32(n)).map { $0 }
        let small = all.filter { $0 % 3 == 0 }, large = all.filter { $0 % 3 != 0 }
        let used = [Bool](repeating: true, count: d)

        func histogram(_ rows: [Int32]) -> GradientHistogram {
            var hist = GradientHistogram(features: d)
            let og = rows.map { g[Int($0)] }, oh = rows.map { h[Int($0)] }
            rows.withUnsafeBufferPointer { rows in
                binned.codes.withUnsafeBufferPointer { codes in
                    hist.build(rows: rows, gradients: og, hessians: oh, codes: codes.baseAddress!, rowCount: n, used: used)
                }
            }
            return hist
        }
        var parent = histogram(all)
        parent.subtract(histogram(small))
        let direct = histogram(large)
        let largest = zip(parent.sums, direct.sums).map { abs($0 - $1) }.max()!
        #expect(largest < 1e-9)
        // And the direct histogram matches a naive count.
        var naive = [Double](repeating: 0, count: 3 * 256)
        for i in large { let b = Int(binned[row: Int(i), feature: 2]); naive[3 * b] += Double(g[Int(i)]); naive[3 * b + 2] += 1 }
        for b in 0..<256 {
            #expect(abs(direct.bin(b, feature: 2).g - naive[3 * b]) < 1e-9)
            #expect(direct.bin(b, feature: 2).n == naive[3 * b + 2])
        }
    }
}
