// PlotError: what can go wrong when a picture leaves memory.
//
// Drawing never fails (it is arithmetic on a pixel buffer); writing and reading
// PNG files can, because folders, disks and files come from outside the
// program. Every case names the path so that a lab can print one useful line.

/// An error from writing or reading a PNG file. Each case names the file involved.
public enum PlotError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The folder that should hold `path` does not exist and could not be made.
    case cannotCreateFolder(path: String, reason: String)
    /// The file could not be written (permissions, full disk, a folder in the way, ...).
    case cannotWriteFile(path: String, reason: String)
    /// The file could not be opened or read.
    case cannotReadFile(path: String, reason: String)
    /// libpng refused the image or the file; `message` is libpng's own explanation.
    case libpng(path: String, message: String)

    /// The path the error is about.
    public var path: String {
        switch self {
        case .cannotCreateFolder(let path, _), .cannotWriteFile(let path, _),
             .cannotReadFile(let path, _), .libpng(let path, _):
            return path
        }
    }

    /// One line for a person: what failed, where, and why.
    public var description: String {
        switch self {
        case .cannotCreateFolder(let path, let reason):
            return "cannot create the folder for \(path): \(reason)"
        case .cannotWriteFile(let path, let reason):
            return "cannot write \(path): \(reason)"
        case .cannotReadFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .libpng(let path, let message):
            return "libpng failed on \(path): \(message)"
        }
    }
}
