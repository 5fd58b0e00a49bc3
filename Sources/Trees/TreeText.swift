// TreeText: a fitted tree printed as indented rules, like scikit-learn's export_text.
//
// Each split prints two lines, one per branch, indented by its depth:
//     |--- petal width <= 0.80
//     |   |--- class: setosa
//     |--- petal width >  0.80
//     |   |--- ...
// Thresholds show two decimals. Nodes deeper than maxDepth are shown as a leaf
// (when the node is a leaf) or as "truncated branch of depth h", h being the
// depth of the subtree below (a leaf alone has h = 1).
import Foundation

enum TreeText {
    /// The rules of `tree`; `leafText(j)` is what leaf j says ("class: …", "value: [...]").
    static func render(_ tree: TreeStructure, featureNames: [String]?, maxDepth: Int?,
                       leafText: (Int) -> String) -> String {
        precondition(!tree.nodes.isEmpty, "textDump: the model is not fitted; call fit first")
        precondition(featureNames == nil || featureNames!.count == tree.featureCount,
                     "textDump: \(featureNames?.count ?? 0) feature names for \(tree.featureCount) features")
        let names = featureNames ?? (0..<tree.featureCount).map { "feature_\($0)" }
        let limit = maxDepth ?? Int.max
        var text = ""
        func subtreeDepth(_ j: Int) -> Int {
            let node = tree.nodes[j]
            return node.isLeaf ? 1 : 1 + Swift.max(subtreeDepth(Int(node.left)), subtreeDepth(Int(node.right)))
        }
        func visit(_ j: Int, depth: Int) {
            let indent = String(repeating: "|   ", count: depth) + "|---"
            let node = tree.nodes[j]
            if depth > limit && !node.isLeaf {
                text += "\(indent) truncated branch of depth \(subtreeDepth(j))\n"
            } else if node.isLeaf {
                text += "\(indent) \(leafText(j))\n"
            } else {
                let name = names[Int(node.feature)]
                let threshold = String(format: "%.2f", node.threshold)
                text += "\(indent) \(name) <= \(threshold)\n"
                visit(Int(node.left), depth: depth + 1)
                text += "\(indent) \(name) >  \(threshold)\n"
                visit(Int(node.right), depth: depth + 1)
            }
        }
        visit(0, depth: 0)
        return text
    }

    /// A label as text: "2" for an integral value, else its decimal form.
    static func label(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : "\(value)"
    }
}
