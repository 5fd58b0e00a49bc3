// The regularisation tour: what a penalty does to the weights.
//
// Data: 20 features of which only the first 5 carry signal (the other 15 true
// weights are exactly 0), few rows and much noise, so plain least squares
// gives every irrelevant feature a small spurious weight.
//   Ridge:  min ‖y − Xw‖² + α‖w‖²        closed form (XᵀX + αI)w = Xᵀy;
//           every weight shrinks smoothly towards 0 as α grows, none reaches it.
//   Lasso:  min (1/2n)‖y − Xw‖² + α‖w‖₁  coordinate descent with soft-thresholding
//           w_j ← S(ρ_j, α)/(x_jᵀx_j/n), S(ρ, α) = sign(ρ)·max(|ρ| − α, 0);
//           weights hit exactly 0 one by one: Lasso selects features.
// The coefficient paths over α (log scale) show both; at a middle α the lab
// counts how many of the 15 irrelevant weights each method sets to zero.
import Foundation
import LabKit
import LinearModels

struct RegularizationTour {
    let settings: TourSettings
    init(_ settings: TourSettings) { self.settings = settings }

    static let features = 20, informative = 5

    func run(report: inout JSONReport, files: inout [String]) throws {
        let count = settings.quick ? 100 : 200
        let data = SyntheticRegression(count: count, features: Self.features, informative: Self.informative,
                                       noise: 1, coefficientScale: 2, seed: settings.seed &+ 1)
        Log.info("== regularisation: \(count) rows, \(Self.features) features, only the first \(Self.informative) matter, noise N(0, 1) ==")

        var leastSquares = LinearRegression(solver: .qr)
        try leastSquares.fit(data.x, data.y)
        let lassoAlpha: Float = 0.1, ridgeAlpha: Float = 10
        var lasso = Lasso(alpha: lassoAlpha)
        try lasso.fit(data.x, data.y)
        var ridge = Ridge(alpha: ridgeAlpha)
        try ridge.fit(data.x, data.y)

        Log.info("  weight   true      least squares   ridge α=\(ridgeAlpha)   lasso α=\(lassoAlpha)")
        for j in 0..<Self.features {
            Log.info(String(format: "  w%-6d %8.4f   %10.4f      %10.4f    %10.4f", j, data.coefficients[j],
                            leastSquares.coefficients[j], ridge.coefficients[j], lasso.coefficients[j]))
        }
        let irrelevant = Self.informative..<Self.features
        func zeros(_ w: [Float]) -> Int { irrelevant.filter { w[$0] == 0 }.count }
        let keptRelevant = (0..<Self.informative).filter { lasso.coefficients[$0] != 0 }.count
        Log.info("  irrelevant weights set exactly to 0: least squares \(zeros(leastSquares.coefficients)), ridge \(zeros(ridge.coefficients)), lasso \(zeros(lasso.coefficients)) of \(irrelevant.count); lasso keeps \(keptRelevant) of \(Self.informative) relevant ones")
        Log.info("  lasso coordinate descent: \(lasso.report.iterations) sweeps, \(lasso.report.converged ? "converged" : "did not converge") (tolerance \(lasso.report.tolerance))")
        report.setMetric("lasso_irrelevant_zeroed", JSONValue(zeros(lasso.coefficients)))
        report.setMetric("lasso_relevant_kept", JSONValue(keptRelevant))
        report.setMetric("ridge_irrelevant_zeroed", JSONValue(zeros(ridge.coefficients)))

        // Coefficient paths: Lasso α from 10⁻³ to 10^0.7, Ridge α from 10⁻² to 10⁴.
        let steps = settings.quick ? 15 : 40
        let lassoAlphas = (0..<steps).map { Float(pow(10, -3 + 3.7 * Double($0) / Double(steps - 1))) }
        let ridgeAlphas = (0..<steps).map { Float(pow(10, -2 + 6 * Double($0) / Double(steps - 1))) }
        let lassoPath = try lassoAlphas.map { alpha -> [Float] in
            var model = Lasso(alpha: alpha)
            try model.fit(data.x, data.y)
            return model.coefficients
        }
        let ridgePath = try ridgeAlphas.map { alpha -> [Float] in
            var model = Ridge(alpha: alpha)
            try model.fit(data.x, data.y)
            return model.coefficients
        }
        try settings.write("lasso_path.png", files: &files) {
            try pathChart(lassoPath, alphas: lassoAlphas, title: "Lasso: weights as alpha grows (irrelevant in gray)").write(to: $0)
        }
        try settings.write("ridge_path.png", files: &files) {
            try pathChart(ridgePath, alphas: ridgeAlphas, title: "Ridge: weights as alpha grows (irrelevant in gray)").write(to: $0)
        }
    }

    /// One line per weight over log₁₀ α: the relevant weights in colour, the irrelevant ones in gray.
    private func pathChart(_ path: [[Float]], alphas: [Float], title: String) -> LineChart {
        var chart = LineChart(title: title, xLabel: "log10(alpha)", yLabel: "weight")
        chart.showsMarkers = false
        chart.legendPlacement = .outside
        let x = alphas.map { log10(Double($0)) }
        for j in 0..<Self.features {
            let relevant = j < Self.informative
            chart.addSeries(relevant ? "w\(j)" : (j == Self.informative ? "irrelevant" : ""), x: x,
                            y: path.map { Double($0[j]) }, color: relevant ? RGBColor.palette(j) : RGBColor(gray: 170))
        }
        return chart
    }
}
