import Foundation

/// The files a command writes and reads: two outputs naming one file (`--output x --csv ./x`), or an
/// output that is one of the inputs (`--output prompts.txt --prompts prompts.txt`), would overwrite
/// one with the other; both are refused before anything is sent or written.
enum FileRoles {
    struct Named {
        var flag: String
        var path: String
    }

    static func outputs(_ options: OutputOptions) -> [Named] {
        [("--output", options.output), ("--responses", options.responses), ("--csv", options.csv),
         ("--timeseries", options.timeseries), ("--hdr", options.hdr), ("--report", options.report)]
            .compactMap { flag, path in path.map { Named(flag: flag, path: $0) } }
    }

    static func check(outputs: [Named], inputs: [Named]) throws {
        var seen: [String: Named] = [:]
        for output in outputs {
            let key = identity(output.path)
            if let earlier = seen[key] {
                throw ConfigurationError("\(earlier.flag) \(earlier.path) and \(output.flag) \(output.path) are the same file: "
                    + "one would overwrite the other. Give each output a file of its own.")
            }
            seen[key] = output
        }
        for input in inputs {
            if let output = seen[identity(input.path)] {
                throw ConfigurationError("\(output.flag) \(output.path) is the file \(input.flag) \(input.path) reads: "
                    + "writing it would destroy the input. Write the output elsewhere.")
            }
        }
    }

    /// One string per file: the device and inode of an existing file (so a link or `./x` is `x`),
    /// otherwise the absolute path with its folder's links resolved.
    static func identity(_ path: String) -> String {
        var status = stat()
        if stat(path, &status) == 0 { return "inode \(status.st_dev):\(status.st_ino)" }
        let url = URL(fileURLWithPath: path).standardizedFileURL
        let folder = url.deletingLastPathComponent().path
        var base = folder
        if let resolved = realpath(folder, nil) {
            base = String(cString: resolved)
            free(resolved)
        }
        return "path " + (base == "/" ? "" : base) + "/" + url.lastPathComponent
    }
}
