import Foundation

/// `--prompts FILE` (SPEC section 16): one prompt a line, or JSON Lines of `{"messages": [...]}`.
enum PromptFile {
    struct Entry: Equatable {
        /// The `messages` array as JSON text, ready to stand in a body.
        var messagesJSON: String
    }

    static func parse(_ text: String, path: String) throws -> [Entry] {
        var entries: [Entry] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty else { continue }
            if line.hasPrefix("{") {
                guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                      let messages = object["messages"] as? [Any], !messages.isEmpty,
                      let data = try? JSONSerialization.data(withJSONObject: messages, options: [.sortedKeys]) else {
                    throw ConfigurationError("--prompts \(path) line \(number + 1): a JSON line needs a non-empty \"messages\" array.")
                }
                entries.append(Entry(messagesJSON: String(decoding: data, as: UTF8.self)))
            } else {
                entries.append(Entry(messagesJSON: #"[{"role": "user", "content": \#(JSONText.string(line))}]"#))
            }
        }
        guard !entries.isEmpty else { throw ConfigurationError("--prompts \(path) has no prompt in it.") }
        return entries
    }
}
