// Notebook 03: learning without labels: k-means, PCA, DBSCAN and t-SNE.
//
//   swift run -c release mllab notebook render 03-unsupervised   (the page: Notebooks-as-scripts/rendered/03-unsupervised.md)
//   swift run -c release notebook-03-unsupervised                (just run it; add --quick for the small setting)
//
// Cells in the percent format: "// %% [markdown]" opens prose, "// %%" opens
// code whose first statement is cell("title"). Change a number and run again.
import Foundation
import LabKit
import NotebookKit
import Tensor
import Unsupervised

// %% [markdown]
// # Phase 3: clustering and dimensionality reduction
//
// No labels this time: the algorithms only see the points and must find the
// structure themselves. Clustering (k-means, DBSCAN) gives every point a
// group; dimensionality reduction (PCA, t-SNE) gives every point a few new
// coordinates that keep what matters. All data here is built in and seeded,
// so the page is the same on every machine.
//
// ## k-means on Gaussian blobs
// k-means looks for k centres c₁ … c_k that make the inertia small,
//
//     J = Σᵢ minⱼ ‖xᵢ − cⱼ‖²,
//
// the squared distance of every point to its nearest centre. Lloyd's
// algorithm alternates two steps that can only lower J: give each point the
// nearest centre, then move each centre to the mean of its points. Below,
// five blobs with known centres; we check the inertia by hand from the
// labels and the centres, and compare the centres found with the true ones.

// %%
cell("1. k-means on five Gaussian blobs")
let quick = Notebook.isQuick
let trueCentres = Tensor([[-6, -4], [0, 6], [6, -3], [-5, 4], [2, 0]])
let blobs = GaussianBlobs(count: quick ? 500 : 1_500, centers: trueCentres, spread: 1.1, seed: 0)
var kmeans = KMeans(clusters: 5, restarts: 10, seed: 0)
try kmeans.fit(blobs.points)

// J by hand: the squared distance of every point to the centre of its own cluster.
let points = blobs.points.scalars, centres = kmeans.centers.scalars
var inertiaByHand = 0.0
for (i, cluster) in kmeans.labels.enumerated() {
    let dx = points[2 * i] - centres[2 * cluster], dy = points[2 * i + 1] - centres[2 * cluster + 1]
    inertiaByHand += Double(dx * dx + dy * dy)
}
print(String(format: "%d points: inertia %.1f (by hand %.1f) after %d Lloyd iterations",
             blobs.labels.count, kmeans.inertia, inertiaByHand, kmeans.iterations))
print("inertia per iteration:", kmeans.inertiaHistory.map { String(format: "%.0f", $0) }.joined(separator: " → "))
let distanceToTruth = PairwiseDistances.squared(kmeans.centers, trueCentres).sqrt()   // [found, true]
for c in 0..<5 {
    let truth = distanceToTruth.selecting(c).argmin()
    print(String(format: "  centre %d at (%5.2f, %5.2f): %.2f from the true centre (%2.0f, %2.0f)", c + 1,
                 centres[2 * c], centres[2 * c + 1], distanceToTruth[c, truth], trueCentres[truth, 0], trueCentres[truth, 1]))
}

/// The columns of a [n, ≥ 2] tensor as x and y arrays, for a scatter plot.
func columns(_ t: Tensor, _ first: Int = 0, _ second: Int = 1) -> (x: [Float], y: [Float]) {
    let width = t.shape[1], values = t.scalars
    return (stride(from: first, to: values.count, by: width).map { values[$0] },
            stride(from: second, to: values.count, by: width).map { values[$0] })
}
var clusterPlot = ScatterPlot(title: "k-means, k = 5: clusters and centres", xLabel: "x1", yLabel: "x2")
let (bx, by) = columns(blobs.points)
clusterPlot.addPoints(x: bx, y: by, classes: kmeans.labels, classNames: (1...5).map { "cluster \($0)" })
let (cx, cy) = columns(kmeans.centers)
clusterPlot.addPoints("centres", x: cx, y: cy, color: .black)
clusterPlot.markerRadius = 3
try figure("kmeans_clusters.png") { try clusterPlot.write(to: $0) }

// %% [markdown]
// ## Where Lloyd starts matters
// J is not convex: Lloyd stops at the nearest fixed point, which may put two
// centres in one blob and leave two blobs to share one. k-means++ picks the
// starting centres far apart (each new one with probability ∝ its squared
// distance to the centres chosen so far), which makes bad starts rare; the
// `restarts` of cell 1 then keep the best of several runs. Here are 20
// single runs from each kind of start: how many reach the best inertia? A
// run above the floor of the figure is stuck in a worse fixed point.

// %%
cell("2. random starts against k-means++")
var finalInertias = LineChart(title: "Final inertia of 20 single k-means runs", xLabel: "seed", yLabel: "inertia")
finalInertias.showsMarkers = true
for (name, start) in [("random rows", KMeans.Initialization.random), ("k-means++", .kMeansPlusPlus)] {
    var finals: [Double] = []
    for seed in 0..<20 {
        var run = KMeans(clusters: 5, initialization: start, restarts: 1, seed: UInt64(seed))
        try run.fit(blobs.points)
        finals.append(run.inertia)
    }
    finalInertias.addSeries(name + " start", y: finals)
    let reachedBest = finals.filter { $0 <= kmeans.inertia * 1.001 }.count
    print("\(name) starts:", String(format: "%2d of 20 runs reach the best inertia; worst run %.0f (best %.0f)",
                                     reachedBest, finals.max()!, kmeans.inertia))
}
try figure("kmeans_starts.png") { try finalInertias.write(to: $0) }

// %% [markdown]
// ## How many clusters? The elbow and the silhouette
// The best inertia can only fall as k grows (k + 1 centres can copy the best
// k and add one), so the smallest J says nothing. Plotted against k it drops
// steeply while new centres split real groups and flattens afterwards: pick k
// at the bend. The silhouette of a point,
//
//     s(i) = (b(i) − a(i)) / max(a(i), b(i)),
//
// with a(i) its mean distance to its own cluster and b(i) to the nearest
// other cluster, is near 1 for a point well inside a tight cluster; its mean
// peaks at the k whose clusters are tight and far apart.

// %%
cell("3. choosing k: elbow and silhouette")
let ks = Array(1...9)
let inertias = try ElbowCurve.inertias(blobs.points, clusterCounts: ks, restarts: 3, seed: 0)
var silhouettes: [Double] = []
for k in ks.dropFirst() {
    var model = KMeans(clusters: k, restarts: 3, seed: 0)
    try model.fit(blobs.points)
    silhouettes.append(Silhouette.score(blobs.points, labels: model.labels))
}
print("k          " + ks.map { String(format: "%7d", $0) }.joined())
print("inertia    " + inertias.map { String(format: "%7.0f", $0) }.joined())
print("silhouette " + "      –" + silhouettes.map { String(format: "%7.3f", $0) }.joined())
let bestK = ks[1 + silhouettes.indices.max { silhouettes[$0] < silhouettes[$1] }!]
print("the silhouette is highest at k =", bestK)
var elbow = LineChart(title: "Elbow: inertia against k", xLabel: "k", yLabel: "inertia")
elbow.addSeries("inertia", x: ks.map(Double.init), y: inertias)
var silhouetteChart = LineChart(title: "Mean silhouette against k", xLabel: "k", yLabel: "silhouette")
silhouetteChart.addSeries("silhouette", x: ks.dropFirst().map(Double.init), y: silhouettes)
elbow.width = 560; silhouetteChart.width = 560
try figure("kmeans_elbow.png") { try Canvas.sideBySide([elbow.render(), silhouetteChart.render()]).write(to: $0) }

// %% [markdown]
// ## PCA: the directions in which digits vary most
// A 28 × 28 digit is a point in 784 dimensions, but digits fill only a thin
// part of that space. PCA centres the rows (x − μ) and finds orthonormal
// directions v₁, v₂, … of largest variance: the eigenvectors of the
// covariance C = (X − μ)ᵀ(X − μ) / (n − 1), ordered by eigenvalue
// λ₁ ≥ λ₂ ≥ …. The explained variance ratio λⱼ / Σ λ says what share of the
// spread direction j carries. The digits are LabKit's SyntheticDigits (drawn
// from pen strokes with random slant, rotation, pen width and noise).
//
// Two checks by hand: the directions are orthonormal (V Vᵀ = I), and the
// variance of the first coordinate z₁ = v₁·(x − μ) over the data is λ₁.

// %%
cell("4. PCA on digits: explained variance")
let digits = SyntheticDigits.split(count: quick ? 800 : 3_000, seed: 0)
let pixels = 28 * 28
let images = digits.images.reshaped([digits.count, pixels])
var pca = PCA(components: 50, seed: 0)
try pca.fit(images)
let cumulative = pca.explainedVarianceRatio.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + Double($1)) }
print("\(digits.count) digits of \(pixels) pixels; solver:", pca.solverUsed.map { "\($0)" } ?? "?")
print("variance kept by " + [1, 2, 5, 10, 20, 50].map { String(format: "%d: %.1f%%", $0, cumulative[$0 - 1] * 100) }.joined(separator: ", "))
let gram = pca.components.matmul(pca.components.transposed())
print(String(format: "max |V Vᵀ − I| = %.1e", (gram - Tensor.eye(50)).abs().max()))
let coordinates = pca.transform(images)
let firstCoordinate = coordinates.slice(axis: 1, 0..<1)
print(String(format: "variance of z₁ %.4f, λ₁ %.4f", firstCoordinate.variance(correction: 1), pca.explainedVariance[0]))
var varianceCurve = LineChart(title: "Variance kept by the first k components", xLabel: "k", yLabel: "explained variance ratio")
varianceCurve.addSeries("cumulative", x: (1...50).map(Double.init), y: cumulative)
varianceCurve.addSeries("component k alone", x: (1...50).map(Double.init), y: pca.explainedVarianceRatio.map(Double.init))
try figure("pca_explained_variance.png") { try varianceCurve.write(to: $0) }

// %% [markdown]
// ## Eigen-digits and a first 2-D map
// Each direction vⱼ has 784 entries, so it can be drawn as an image: an
// "eigen-digit", a pattern of pixels that brighten together (light) while
// others darken (dark). Plotting every digit at (z₁, z₂) is the simplest map
// of the data: some digits already pull apart, but most overlap, since two
// directions keep only a small share of the variance.

// %%
cell("5. eigen-digits and the first two components")
let eigenDigits = Tensor.concatenated([Tensor(shape: [1, pixels], scalars: pca.mean), pca.components.slice(0..<15)])
var eigenGrid = ImageGrid(images: eigenDigits.reshaped([16, 28, 28]), columns: 8)
eigenGrid.scaling = .perImage
eigenGrid.upscale = 3
eigenGrid.captions = ["mean"] + (1...15).map { "v\($0)" }
eigenGrid.title = "The mean digit and the first 15 principal directions"
try figure("pca_eigendigits.png") { try eigenGrid.render().write(to: $0) }

let digitLabels = digits.labelIndices
let (z1, z2) = columns(coordinates)
var pcaMap = ScatterPlot(title: "Digits at their first two principal coordinates", xLabel: "z1", yLabel: "z2")
pcaMap.addPoints(x: z1, y: z2, classes: digitLabels, classNames: (0...9).map { "digit \($0)" })
pcaMap.markerRadius = 2.5
try figure("pca_scatter.png") { try pcaMap.write(to: $0) }
for digit in [0, 1, 7] {
    let rows = digitLabels.indices.filter { digitLabels[$0] == digit }
    let meanZ1 = rows.map { z1[$0] }.reduce(0, +) / Float(rows.count), meanZ2 = rows.map { z2[$0] }.reduce(0, +) / Float(rows.count)
    print(String(format: "digit %d: mean (z1, z2) = (%5.2f, %5.2f)", digit, meanZ1, meanZ2))
}

// %% [markdown]
// ## Rebuilding digits from k numbers
// Keeping the first k coordinates and mapping back,
//
//     x̂ = μ + Σ_{j ≤ k} zⱼ vⱼ,
//
// is the best rank-k approximation of the data in squared error. Setting the
// coordinates after k to zero is one broadcast multiply by a mask [1, 50];
// inverseTransform does the rest.

// %%
cell("6. rebuilding digits from 5, 15 and 50 components")
let shown = 10
let originals = images.slice(0..<shown)
let shownCoordinates = coordinates.slice(0..<shown)
var rows = [originals]
for k in [5, 15, 50] {
    let mask = Tensor(shape: [1, 50]) { $0 < k ? 1 : 0 }
    let rebuilt = pca.inverseTransform(shownCoordinates * mask)
    rows.append(rebuilt)
    let error = (pca.inverseTransform(coordinates * mask) - images).squared().mean()
    print(String(format: "k = %2d: mean squared pixel error %.4f over all %d digits", k, error, digits.count))
}
var rebuiltGrid = ImageGrid(images: Tensor.concatenated(rows).reshaped([4 * shown, 28, 28]), columns: shown)
rebuiltGrid.scaling = .fixed(0...1)
rebuiltGrid.upscale = 3
rebuiltGrid.captions = ["original", "k = 5", "k = 15", "k = 50"].flatMap { [$0] + Array(repeating: "", count: shown - 1) }
rebuiltGrid.title = "Digits (top) rebuilt from 5, 15 and 50 components"
try figure("pca_reconstructions.png") { try rebuiltGrid.render().write(to: $0) }

// %% [markdown]
// ## DBSCAN: clusters of any shape, and noise
// k-means's clusters are always the convex cells nearest each centre, so it
// cannot follow two interleaved half-moons. DBSCAN needs no k: a point is a
// core point when at least `minSamples` points (itself included) lie within ε
// of it; core points that reach one another in ε-steps form a cluster, with
// the border points near them; everything else is noise (label −1). We add
// scattered outliers to the moons, compare both methods (each cluster matched
// to the moon most of its points come from), and then vary ε: too small and
// everything is noise, too large and the moons merge.

// %%
cell("7. DBSCAN against k-means on two moons")
let moons = TwoMoons(count: quick ? 400 : 1_000, noise: 0.06, seed: 0)
var outlierGenerator = RandomGenerator(seed: 7)
let outlierCount = quick ? 15 : 30
var moonValues = moons.points.scalars
for _ in 0..<outlierCount { moonValues += [outlierGenerator.uniform(-1.5, 2.5), outlierGenerator.uniform(-1.2, 1.7)] }
let moonPoints = Tensor(shape: [moons.labels.count + outlierCount, 2], scalars: moonValues)

/// The share of the moon points whose cluster, mapped to the moon most of its points lie on, is their moon (noise never counts).
func matchedShare(_ found: [Int], _ truth: [Int]) -> Double {
    var votes: [Int: [Int: Int]] = [:]
    for (cluster, moon) in zip(found, truth) where cluster >= 0 { votes[cluster, default: [:]][moon, default: 0] += 1 }
    return Double(votes.values.reduce(0) { $0 + ($1.values.max() ?? 0) }) / Double(truth.count)
}
var dbscan = DBSCAN(epsilon: 0.15, minSamples: 5)
try dbscan.fit(moonPoints)
var twoMeans = KMeans(clusters: 2, restarts: 10, seed: 0)
try twoMeans.fit(moonPoints)
let flagged = dbscan.labels.suffix(outlierCount).filter { $0 == DBSCAN.noise }.count
print(String(format: "DBSCAN (ε 0.15): %d clusters, moons matched %.1f%%, %d of %d outliers marked noise",
             dbscan.clusterCount, matchedShare(dbscan.labels, moons.labels) * 100, flagged, outlierCount))
print(String(format: "k-means (k 2):   moons matched %.1f%%", matchedShare(twoMeans.labels, moons.labels) * 100))
for epsilon: Float in [0.05, 0.1, 0.15, 0.3, 0.6] {
    var model = DBSCAN(epsilon: epsilon, minSamples: 5)
    try model.fit(moonPoints)
    print(String(format: "  ε = %.2f: %2d cluster(s), %3d noise points", epsilon, model.clusterCount,
                 model.labels.filter { $0 == DBSCAN.noise }.count))
}

let (mx, my) = columns(moonPoints)
func moonPanel(_ title: String, _ labels: [Int]) -> Canvas {
    var plot = ScatterPlot(title: title, xLabel: "x1", yLabel: "x2")
    let clustered = labels.indices.filter { labels[$0] >= 0 }, noisy = labels.indices.filter { labels[$0] < 0 }
    plot.addPoints(x: clustered.map { mx[$0] }, y: clustered.map { my[$0] }, classes: clustered.map { labels[$0] },
                   classNames: (1...10).map { "cluster \($0)" })
    if !noisy.isEmpty { plot.addPoints("noise", x: noisy.map { mx[$0] }, y: noisy.map { my[$0] }, color: .midGray) }
    plot.width = 560; plot.height = 460; plot.markerRadius = 3
    return plot.render()
}
try figure("dbscan_moons.png") {
    try Canvas.sideBySide([moonPanel("DBSCAN, eps = 0.15", dbscan.labels), moonPanel("k-means, k = 2", twoMeans.labels)]).write(to: $0)
}

// %% [markdown]
// ## t-SNE: a map where neighbours stay neighbours
// t-SNE turns distances into neighbour probabilities twice. In the data,
// p_{j|i} ∝ exp(−‖xᵢ − xⱼ‖² / 2σᵢ²), with σᵢ set so that each point has about
// `perplexity` neighbours; in the 2-D map, q_ij ∝ (1 + ‖yᵢ − yⱼ‖²)⁻¹, whose
// heavy tail lets separate groups drift far apart. Gradient descent moves the
// map points to lower KL(P ‖ Q) = Σ p_ij log(p_ij / q_ij). The digits first go
// through PCA to 50 coordinates (most of the variance, far less work).
//
// For the first 250 steps P is multiplied by 12 ("early exaggeration"), which
// pulls each group together while the map is small; the KL curve drops when
// that phase ends. To compare maps, count for every point how many of its 10 nearest map
// neighbours carry its label: t-SNE against the two PCA coordinates of cell 5.

// %%
cell("8. t-SNE of the digits")
let mapped = quick ? 300 : 1_500
let reduced = coordinates.slice(0..<mapped)
let mappedLabels = Array(digitLabels.prefix(mapped))
var tsne = TSNE(perplexity: 30, iterations: quick ? 400 : 1_000, seed: 0)
let started = Date()
let map = try tsne.fitTransform(reduced)
let tsneSeconds = Date().timeIntervalSince(started)
let tsneAgreement = NeighbourAgreement.score(map, labels: mappedLabels, neighbours: 10)
let pcaAgreement = NeighbourAgreement.score(reduced.slice(axis: 1, 0..<2), labels: mappedLabels, neighbours: 10)
print(String(format: "%d digits, %d iterations: KL %.3f", mapped, tsne.report.iterations, tsne.klHistory.last?.divergence ?? .nan))
print(String(format: "10 nearest neighbours with the same label: t-SNE %.1f%%, first two PCA coordinates %.1f%%",
             tsneAgreement * 100, pcaAgreement * 100))
if !Notebook.isRendering { print(String(format: "(t-SNE took %.2f s)", tsneSeconds)) }
let (tx, ty) = columns(map)
var tsnePlot = ScatterPlot(title: String(format: "t-SNE of %d digits (%.0f%% of neighbours agree)", mapped, tsneAgreement * 100),
                           xLabel: "t-SNE 1", yLabel: "t-SNE 2")
tsnePlot.addPoints(x: tx, y: ty, classes: mappedLabels, classNames: (0...9).map { "digit \($0)" })
tsnePlot.markerRadius = 2.5
try figure("tsne_digits.png") { try tsnePlot.write(to: $0) }
var klCurve = LineChart(title: "KL(P || Q) while t-SNE optimises", xLabel: "iteration", yLabel: "KL divergence")
klCurve.addSeries("KL", x: tsne.klHistory.map { Double($0.iteration) }, y: tsne.klHistory.map(\.divergence))
try figure("tsne_kl.png") { try klCurve.write(to: $0) }

// %% [markdown]
// ## What to try next
// - Give the blobs a larger spread (cell 1) until the elbow and the
//   silhouette disagree about k.
// - Cluster the 50 PCA coordinates of the digits with k-means, k = 10, and
//   see which digits share a cluster.
// - Change t-SNE's perplexity to 5 and to 100 and watch the map.
// - The lab runs the same four tours on MNIST when MLLAB_DATA has it:
//   `swift run -c release lab-unsupervised` (`--quick` for a second's
//   version, `tsne --tsne-points 3000 --perplexity 50` for a bigger map).
// - The tests that grade this phase's clustering and reduction:
//   `swift test -c release --filter UnsupervisedTests`.
