// ClusterMatching: how well found clusters agree with known groups.
//
// Cluster numbers are arbitrary (cluster 3 may be blob 0), so agreement is
// counted after matching: each found cluster is mapped to the true group most
// of its points belong to, and the score is the fraction of points whose
// mapped cluster equals their group. Noise (label −1) never matches.
import Foundation

enum ClusterMatching {
    /// The fraction of points whose cluster, mapped to its majority group, equals their group.
    static func agreement(_ found: [Int], _ truth: [Int]) -> Double {
        precondition(found.count == truth.count && !found.isEmpty, "ClusterMatching: \(found.count) labels against \(truth.count)")
        var votes: [Int: [Int: Int]] = [:]
        for (cluster, group) in zip(found, truth) where cluster >= 0 { votes[cluster, default: [:]][group, default: 0] += 1 }
        let matched = votes.values.reduce(0) { $0 + ($1.values.max() ?? 0) }
        return Double(matched) / Double(found.count)
    }
}
