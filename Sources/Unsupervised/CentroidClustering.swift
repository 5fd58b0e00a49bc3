// CentroidClustering: what a fitted k-means model does with new rows.
//
// Both KMeans and MiniBatchKMeans end with k centres c₁ … c_k. A row x then
// belongs to its nearest centre, argminⱼ ‖x − cⱼ‖²; its distances to all
// centres, ‖x − cⱼ‖, are a k-dimensional description of it (scikit-learn's
// `transform`); and the inertia Σᵢ minⱼ ‖xᵢ − cⱼ‖² measures how well the
// centres summarise a set of rows (scikit-learn's `score` is its negative).
import Tensor

/// A clustering described by centres: prediction, distances and inertia for any rows.
public protocol CentroidClustering {
    /// The fitted centres [k, d] (empty before `fit`).
    var centers: Tensor { get }
}

extension CentroidClustering {
    /// The nearest centre of each row of X [m, d].
    public func predict(_ x: Tensor) -> [Int] {
        checkFitted(x, "predict")
        return NearestCenters.assign(x, rowNorms: PairwiseDistances.squaredNorms(x), panels: CenterPanels(centers)).labels
    }

    /// The Euclidean distance from each row of X [m, d] to each centre, [m, k].
    public func transform(_ x: Tensor) -> Tensor {
        checkFitted(x, "transform")
        return PairwiseDistances.squared(x, centers).sqrt()
    }

    /// Σᵢ minⱼ ‖xᵢ − cⱼ‖² over the rows of X [m, d], summed in Double.
    public func inertia(of x: Tensor) -> Double {
        checkFitted(x, "inertia(of:)")
        let distances = NearestCenters.assign(x, rowNorms: PairwiseDistances.squaredNorms(x), panels: CenterPanels(centers)).distances
        return distances.reduce(0.0) { $0 + Double($1) }
    }

    /// Stops with a message when `fit` has not run or X has the wrong number of columns.
    func checkFitted(_ x: Tensor, _ operation: String) {
        precondition(centers.count > 0, "\(Self.self).\(operation): call fit first")
        precondition(x.rank == 2 && x.shape[1] == centers.shape[1],
                     "\(Self.self).\(operation): X \(x.shape) must have \(centers.shape[1]) columns, like the data fitted")
    }
}
