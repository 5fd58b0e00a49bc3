// ElbowCurve: the inertia of k-means for several k, to choose k by eye.
//
// The best inertia J(k) = min Σᵢ minⱼ ‖xᵢ − cⱼ‖² can only fall as k grows
// (k + 1 centres can copy the k best and add one more), down to 0 at k = n,
// so the smallest J is no guide. Plotted against k, J drops steeply while new
// centres split real groups and then flattens once they only split groups
// further; the k at the bend (the "elbow") is the usual pick. Each k is fitted
// by KMeans with k-means++ and the same seed; `restarts` > 1 makes the curve
// smoother (a bad local minimum can make one J(k) too high).

/// The k-means inertia for each of several cluster counts.
public enum ElbowCurve {
    /// J(k) for every k in `clusterCounts` (in that order): the inertia of KMeans(clusters: k) fitted to X [n, d].
    /// Throws `EstimatorError` when a count is below 1 or above n, or X holds a non-finite value.
    public static func inertias(_ x: Tensor, clusterCounts: [Int], restarts: Int = 1, seed: UInt64 = 0) throws -> [Double] {
        try clusterCounts.map { k in
            var model = KMeans(clusters: k, restarts: restarts, seed: seed)
            try model.fit(x)
            return model.inertia
        }
    }
}
