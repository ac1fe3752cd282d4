import Foundation

/// Checks on the files and directories a configuration names; each returns what is wrong, or `nil`.
enum FileProbe {
    /// A regular file the process can read; with `nonEmpty`, holding at least one byte.
    static func problemWithReadableFile(_ path: String, nonEmpty: Bool = false) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "'\(path)' does not exist"
        }
        if isDirectory.boolValue { return "'\(path)' is a directory, not a file" }
        guard FileManager.default.isReadableFile(atPath: path) else { return "'\(path)' is not readable" }
        if nonEmpty {
            guard let contents = FileManager.default.contents(atPath: path) else { return "'\(path)' cannot be read" }
            let text = String(decoding: contents, as: UTF8.self)
            if text.allSatisfy(\.isWhitespace) { return "'\(path)' is empty" }
        }
        return nil
    }

    /// A readable PEM file holding a block whose label ends with `labelSuffix` (`CERTIFICATE`, `PRIVATE KEY`).
    static func problemWithPEMFile(_ path: String, labelSuffix: String, what: String) -> String? {
        if let problem = problemWithReadableFile(path) { return problem }
        guard let contents = FileManager.default.contents(atPath: path) else { return "'\(path)' cannot be read" }
        let text = String(decoding: contents, as: UTF8.self)
        let hasBlock = text.split(separator: "\n").contains { line in
            line.hasPrefix("-----BEGIN ") && line.trimmingASCIISpaces().hasSuffix("\(labelSuffix)-----")
        }
        return hasBlock ? nil : "'\(path)' holds no PEM \(what) (no '-----BEGIN …\(labelSuffix)-----' line)"
    }

    /// An existing, readable directory.
    static func problemWithDirectory(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return "'\(path)' does not exist"
        }
        guard isDirectory.boolValue else { return "'\(path)' is not a directory" }
        guard FileManager.default.isReadableFile(atPath: path) else { return "'\(path)' is not readable" }
        return nil
    }

    /// A directory the server can create (if missing) and write: an existing writable directory, or a path whose
    /// nearest existing ancestor is a writable directory.
    static func problemWithCreatableDirectory(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return "'\(path)' exists and is not a directory" }
            guard FileManager.default.isWritableFile(atPath: path) else { return "'\(path)' is not writable" }
            return nil
        }
        var ancestor = URL(fileURLWithPath: path).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isDirectory) {
            let parent = ancestor.deletingLastPathComponent()
            if parent.path == ancestor.path { break }
            ancestor = parent
        }
        guard isDirectory.boolValue else {
            return "'\(path)' cannot be created: '\(ancestor.path)' is not a directory"
        }
        guard FileManager.default.isWritableFile(atPath: ancestor.path) else {
            return "'\(path)' cannot be created: '\(ancestor.path)' is not writable"
        }
        return nil
    }

    /// A file the server can append to: an existing writable regular file, or a new one in an existing writable
    /// directory (the audit log is not allowed to create directories: a typo would scatter trails).
    static func problemWithCreatableFile(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { return "'\(path)' is a directory, not a file" }
            guard FileManager.default.isWritableFile(atPath: path) else { return "'\(path)' is not writable" }
            return nil
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            return "'\(path)' cannot be created: the directory '\(directory)' does not exist"
        }
        guard FileManager.default.isWritableFile(atPath: directory) else {
            return "'\(path)' cannot be created: '\(directory)' is not writable"
        }
        return nil
    }
}
