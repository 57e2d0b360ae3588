import Foundation

extension Configuration {
    /// `http` or `https` with a host; any trailing `/` removed.
    static func validatedBaseURL(_ raw: String) throws -> String {
        let text = raw.trimmingCharacters(in: .whitespaces)
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let components = URLComponents(string: trimmed),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError(
                "the API base URL \"\(raw)\" is not an http(s) URL with a host. Use e.g. --api-base-url http://localhost:9099")
        }
        return trimmed
    }

    /// SPEC section 2: the default LAMB path, or `--endpoint-path` with `{assistant_id}` filled in.
    static func buildRequestURL(base: String, path: String, assistantID: String) throws -> String {
        var filled = path.replacingOccurrences(of: "{assistant_id}", with: assistantID)
        while filled.hasPrefix("/") { filled.removeFirst() }
        let url = base + "/" + filled
        let allowed = CharacterSet.urlPathAllowed.union(.urlQueryAllowed).union(CharacterSet(charactersIn: "%#"))
        if let bad = filled.unicodeScalars.first(where: { !allowed.contains($0) }) {
            throw ConfigurationError(
                "the endpoint path \"\(path)\" has a character a URL cannot carry (\"\(Character(bad))\"); only {assistant_id} is filled in. Percent-encode it or fix the path.")
        }
        guard URLComponents(string: url)?.host != nil else {
            throw ConfigurationError("the endpoint path \"\(path)\" does not make a valid URL with the base URL.")
        }
        return url
    }
}
