// Log: where a lab's words go.
//   info      what the lab is doing, in plain words → standard output
//   progress  running commentary a pipe should not capture → standard error
//   error     a one-line failure message → standard error
import Foundation

/// Plain-text messages of labs and tools.
public enum Log {
    /// A line on standard output (written at once, so it interleaves with progress bars).
    public static func info(_ message: String) {
        FileHandle.standardOutput.write(Data((message + "\n").utf8))
    }

    /// A line on standard error.
    public static func progress(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// "error: …" on standard error.
    public static func error(_ message: String) {
        FileHandle.standardError.write(Data(("error: " + message + "\n").utf8))
    }
}
