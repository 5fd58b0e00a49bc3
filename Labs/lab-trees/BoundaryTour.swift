// The boundary tour: how each tree model carves the plane, on two moons.
//
// A tree's splits are thresholds on one feature, so its regions are boxes and
// its boundary a staircase, jagged where it chases noise. A forest averages
// 100 such staircases grown on bootstrap samples, which smooths the steps;
// boosting sums many small trees, each correcting the last, which bends the
// staircase towards the true curve.
import Foundation
import LabKit
import Trees

struct BoundaryTour {
    let settings: TreeSettings
    init(_ settings: TreeSettings) { self.settings = settings }

    func run(report: inout JSONReport, files: inout [String]) throws {
        let moons = TwoMoons(count: settings.quick ? 300 : 600, noise: 0.3, seed: settings.seed)
        let test = TwoMoons(count: 2000, noise: 0.3, seed: settings.seed &+ 1)
        let labels = Tensor(shape: [moons.labels.count], scalars: moons.labels.map(Float.init))
        let testLabels = Tensor(shape: [test.labels.count], scalars: test.labels.map(Float.init))
        Log.info("== boundaries: two moons, \(moons.labels.count) points, noise 0.3; accuracy on 2000 fresh points ==")
        var tree = DecisionTreeClassifier(seed: settings.seed)
        try tree.fit(moons.points, labels)
        var forest = RandomForestClassifier(trees: settings.quick ? 30 : 100, seed: settings.seed)
        try forest.fit(moons.points, labels)
        var boosting = GradientBoostingClassifier(rounds: 100, learningRate: 0.1, maxLeaves: 8, seed: settings.seed)
        try boosting.fit(moons.points, labels)

        let area = (x: -1.8...2.8, y: -1.3...1.8)
        let cells = settings.quick ? 100 : 200
        var panels: [Canvas] = []
        let models: [(name: String, key: String, model: any Classifier)] = [
            ("one tree (\(tree.leafCount) leaves)", "tree", tree), ("random forest", "forest", forest),
            ("gradient boosting", "boosting", boosting),
        ]
        for (name, key, model) in models {
            let accuracy = Double(model.score(test.points, testLabels))
            Log.info("  " + name.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "  test accuracy %.1f%%", accuracy * 100))
            report.setMetric("moons_\(key)_accuracy", accuracy)
            var plot = EvaluationPlots.decisionBoundary(points: moons.points, labels: moons.labels, area: area,
                                                        classNames: ["upper moon", "lower moon"],
                                                        title: name + String(format: ": %.1f%%", accuracy * 100),
                                                        cells: cells, model: model)
            plot.width = settings.quick ? 420 : 560
            plot.height = settings.quick ? 380 : 500
            plot.legendPlacement = .hidden
            panels.append(plot.render())
        }
        try settings.write("boundaries.png", files: &files) { try Canvas.sideBySide(panels).write(to: $0) }
    }
}
