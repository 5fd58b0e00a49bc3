// DataLocator: where a lab looks for a real data set.
//
// Search order, first match wins:
//   1. $MLLAB_DATA/<name>           (a folder the user or CI points at)
//   2. ./Data/<name>                (the project's Data/ folder, when run from the project root)
//   3. <package root>/Data/<name>   (the same folder, found from this source file's location)
// A data set counts as found only when its folder holds every file it needs; a
// file counts as present as given or gzip-compressed with a ".gz" suffix. When
// nothing is found the answer is nil, and a lab falls back to its built-in
// synthetic data instead of failing.

import Foundation

/// Finds data set folders and files through `MLLAB_DATA` and then the project's `Data/` folder.
public struct DataLocator: Sendable {
    /// The folders searched, in order; each holds data sets as subfolders.
    public var roots: [String]

    /// A locator over explicit root folders, searched in order.
    public init(roots: [String]) {
        self.roots = roots
    }

    /// The usual locator: `MLLAB_DATA`, then `Data/` in the current folder, then the package's `Data/`.
    public static var standard: DataLocator {
        DataLocator(roots: standardRoots())
    }

    /// The roots of `standard`, computed from an environment and a current folder (injectable for tests).
    public static func standardRoots(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) -> [String] {
        var roots: [String] = []
        if let fromEnvironment = environment["MLLAB_DATA"], !fromEnvironment.isEmpty {
            roots.append(fromEnvironment)
        }
        roots.append(URL(fileURLWithPath: currentDirectory).appendingPathComponent("Data").path)
        // This file is <package>/Sources/LabKit/Data/DataLocator.swift: four levels below the package root.
        var packageRoot = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { packageRoot.deleteLastPathComponent() }
        roots.append(packageRoot.appendingPathComponent("Data").path)
        var seen = Set<String>()
        return roots.filter { seen.insert(URL(fileURLWithPath: $0).standardizedFileURL.path).inserted }
    }

    /// The first folder `<root>/<name>` that exists and holds all of `files` (each as given or with ".gz").
    public func directory(named name: String, containing files: [String] = []) -> String? {
        for root in roots {
            let folder = URL(fileURLWithPath: root).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
                  isDirectory.boolValue else { continue }
            if files.allSatisfy({ DataLocator.existingFile($0, in: folder.path) != nil }) {
                return folder.path
            }
        }
        return nil
    }

    /// The first file `<root>/<relativePath>` that exists (as given or with ".gz").
    public func file(_ relativePath: String) -> String? {
        for root in roots {
            if let path = DataLocator.existingFile(relativePath, in: root) { return path }
        }
        return nil
    }

    /// `folder/name` if it is a file, else `folder/name.gz` if that is, else nil.
    public static func existingFile(_ name: String, in folder: String) -> String? {
        let base = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        for candidate in [base, base + ".gz"] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
        }
        return nil
    }
}
