// Tests of the data splits: train/test split, k-fold and stratified k-fold.
// Each checks that the parts are disjoint and cover every row, that sizes follow
// the stated rules, that class proportions are kept when stratifying, that a
// seed fixes the split, and that impossible requests throw.
import Tensor
import Testing
@testable import Evaluation

@Suite struct EvaluationSplitTests {
    /// X [n, 2] with row i = (i, 100 + i), so a row tells which sample it is; y = 1000 + i.
    static func numbered(_ n: Int) -> (x: Tensor, y: Tensor) {
        (Tensor(shape: [n, 2]) { $0 % 2 == 0 ? Float($0 / 2) : Float(100 + $0 / 2) },
         Tensor((0..<n).map { Float(1000 + $0) }))
    }

    @Test func trainTestSplitIsDisjointCoveringAndGathersTheRightRows() throws {
        let (x, y) = Self.numbered(10)
        let split = try DataSplit.trainTestSplit(x, y, testSize: 0.25, seed: 7)
        // ⌈0.25 · 10⌉ = ⌈2.5⌉ = 3 test rows, 7 training rows.
        #expect(split.testIndices.count == 3)
        #expect(split.trainIndices.count == 7)
        #expect(Set(split.trainIndices).isDisjoint(with: split.testIndices))
        #expect(Set(split.trainIndices + split.testIndices) == Set(0..<10))
        #expect(split.xTrain.shape == [7, 2] && split.xTest.shape == [3, 2])
        for (row, index) in split.testIndices.enumerated() {
            #expect(split.xTest[row, 0] == Float(index) && split.xTest[row, 1] == Float(100 + index))
            #expect(split.yTest.scalars[row] == Float(1000 + index))
        }
        for (row, index) in split.trainIndices.enumerated() {
            #expect(split.yTrain.scalars[row] == Float(1000 + index))
        }
        let again = try DataSplit.trainTestSplit(x, y, testSize: 0.25, seed: 7)
        #expect(again.testIndices == split.testIndices)
        let other = try DataSplit.trainTestSplit(x, y, testSize: 0.25, seed: 8)
        #expect(other.testIndices != split.testIndices)
    }

    @Test func trainTestSplitRejectsBadSizes() {
        let (x, y) = Self.numbered(4)
        for size in [0.0, 1.0, -0.2, 1.5] {
            #expect(throws: EstimatorError.self) { try DataSplit.trainTestSplit(x, y, testSize: size) }
        }
        // ⌈0.9 · 4⌉ = 4 test rows leave no training row.
        #expect(throws: EstimatorError.self) { try DataSplit.trainTestSplit(x, y, testSize: 0.9) }
        // ⌈0.01 · 4⌉ = 1: fine.
        #expect((try? DataSplit.trainTestSplit(x, y, testSize: 0.01))?.testIndices.count == 1)
    }

    @Test func stratifiedSplitKeepsClassProportions() throws {
        // 60 zeros, 30 ones, 10 twos; 20 test rows → 12, 6 and 2 (exactly proportional).
        let labels: [Float] = Array(repeating: 0, count: 60) + Array(repeating: 1, count: 30) + Array(repeating: 2, count: 10)
        let x = Tensor(shape: [100, 1]) { Float($0) }
        let split = try DataSplit.trainTestSplit(x, Tensor(labels), testSize: 0.2, stratify: true, seed: 3)
        let test = split.yTest.scalars, train = split.yTrain.scalars
        #expect(test.filter { $0 == 0 }.count == 12)
        #expect(test.filter { $0 == 1 }.count == 6)
        #expect(test.filter { $0 == 2 }.count == 2)
        #expect(train.filter { $0 == 2 }.count == 8)
        #expect(Set(split.trainIndices + split.testIndices) == Set(0..<100))
        // Row i's feature is i: the features follow the indices.
        #expect(split.xTest.scalars == split.testIndices.map { Float($0) })
    }

    @Test func stratifiedSharesUseLargestRemainders() throws {
        // 7 test rows of 5 + 3 + 2: shares 3.5, 2.1, 1.4 → floors 3, 2, 1 (6), the missing row goes to
        // the largest fraction (.5, class 0): 4, 2, 1.
        #expect(DataSplit.proportionalShares(total: 7, counts: [5, 3, 2]) == [4, 2, 1])
        // A class of one row cannot be on both sides.
        let y = Tensor([0, 0, 0, 1, 1, 2])
        #expect(throws: EstimatorError.self) {
            try DataSplit.trainTestSplit(Tensor(shape: [6, 1]) { Float($0) }, y, stratify: true)
        }
    }

    @Test func kFoldSizesDifferByAtMostOneAndCoverEveryRow() throws {
        let splits = try KFold(folds: 3, shuffle: true, seed: 1).splits(count: 10)
        #expect(splits.count == 3)
        // 10 = 4 + 3 + 3: the first 10 mod 3 = 1 fold holds one more.
        #expect(splits.map(\.test.count) == [4, 3, 3])
        var tested: [Int] = []
        for (train, test) in splits {
            #expect(Set(train).isDisjoint(with: test))
            #expect(train.count + test.count == 10)
            #expect(train == train.sorted() && test == test.sorted())
            tested += test
        }
        #expect(tested.sorted() == Array(0..<10))
        let unshuffled = try KFold(folds: 3, shuffle: false).splits(count: 10)
        #expect(unshuffled.map(\.test) == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]])
        #expect(try KFold(folds: 3, seed: 1).splits(count: 10).map(\.test) == splits.map(\.test))
        #expect(try KFold(folds: 3, seed: 2).splits(count: 10).map(\.test) != splits.map(\.test))
    }

    @Test func kFoldRejectsBadFoldCounts() {
        #expect(throws: EstimatorError.self) { try KFold(folds: 1).splits(count: 10) }
        #expect(throws: EstimatorError.self) { try KFold(folds: 11).splits(count: 10) }
        #expect(throws: EstimatorError.self) { try StratifiedKFold(folds: 4).splits(labels: Tensor([0, 1, 0])) }
    }

    @Test func unshuffledFoldsMatchScikitLearn() throws {
        // scikit-learn 1.x: [t for _, t in StratifiedKFold(3).split(X, y)] and KFold(4) on 10 rows.
        let labels: [Float] = [1, 0, 2, 0, 1, 0, 0, 2, 1, 0, 0, 1, 2, 0]
        let stratified = try StratifiedKFold(folds: 3, shuffle: false).splits(labels: Tensor(labels))
        #expect(stratified.map(\.test) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13]])
        let plain = try KFold(folds: 4, shuffle: false).splits(count: 10)
        #expect(plain.map(\.test) == [[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]])
    }

    @Test(arguments: [false, true])
    func stratifiedKFoldSpreadsEachClassEvenly(_ shuffle: Bool) throws {
        // 10 zeros, 5 ones, 3 twos over 3 folds: class counts per fold within ⌊c/3⌋ … ⌈c/3⌉,
        // fold sizes 18 / 3 = 6 each.
        let labels: [Float] = Array(repeating: 0, count: 10) + Array(repeating: 1, count: 5) + Array(repeating: 2, count: 3)
        let splits = try StratifiedKFold(folds: 3, shuffle: shuffle, seed: 5).splits(labels: Tensor(labels))
        var tested: [Int] = []
        for (train, test) in splits {
            #expect(test.count == 6)
            #expect(Set(train).isDisjoint(with: test) && train.count == 12)
            for (label, total) in [(Float(0), 10), (1, 5), (2, 3)] {
                let inFold = test.filter { labels[$0] == label }.count
                #expect(inFold >= total / 3 && inFold <= (total + 2) / 3)
            }
            tested += test
        }
        #expect(tested.sorted() == Array(0..<18))
    }
}
