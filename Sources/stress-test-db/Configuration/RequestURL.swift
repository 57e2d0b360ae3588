import Foundation

extension Configuration {
    /// `http` or `https` with a host, and an optional path prefix; any trailing `/` removed. A query
    /// or a fragment is refused: the endpoint path is appended to the base, so `?x=1` would land in the
    /// middle of the path (docs/flags.md, "The request URL").
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
        // Foundation would quietly encode a space that libcurl refuses: the probes would fail without saying why.
        if let bad = trimmed.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
            throw ConfigurationError(
                "the API base URL \"\(raw)\" has \(bad == " " ? "a space" : String(format: "the character U+%04X", bad.value)) in it, "
                    + "which a URL cannot carry: remove it or percent-encode it (a space is %20).")
        }
        if components.percentEncodedQuery != nil || components.percentEncodedFragment != nil {
            throw ConfigurationError(
                "the API base URL \"\(raw)\" has a \(components.percentEncodedQuery != nil ? "query (?...)" : "fragment (#...)"); "
                    + "the base is scheme://host[:port][/prefix] and the endpoint path is added to it. Remove it "
                    + "(a query the server needs goes at the end of --endpoint-path).")
        }
        return trimmed
    }

    /// SPEC section 2: the default LAMB path, or `--endpoint-path` with `{assistant_id}` filled in,
    /// added to the base URL's path (its query, if any, kept as the query).
    static func buildRequestURL(base: String, path: String, assistantID: String) throws -> String {
        if path.contains("{assistant_id}") { try checkAssistantID(assistantID) }
        var filled = path.replacingOccurrences(of: "{assistant_id}", with: assistantID)
        while filled.hasPrefix("/") { filled.removeFirst() }
        let allowed = CharacterSet.urlPathAllowed.union(.urlQueryAllowed).union(CharacterSet(charactersIn: "%"))
        if let bad = filled.unicodeScalars.first(where: { !allowed.contains($0) }) {
            throw ConfigurationError(
                "the endpoint path \"\(path)\" has a character a URL cannot carry (\"\(Character(bad))\"); only {assistant_id} is filled in. Percent-encode it or fix the path.")
        }
        guard var url = URLComponents(string: base), let endpoint = URLComponents(string: "/" + filled), url.host != nil else {
            throw ConfigurationError("the endpoint path \"\(path)\" does not make a valid URL with the base URL.")
        }
        url.percentEncodedPath += endpoint.percentEncodedPath
        url.percentEncodedQuery = endpoint.percentEncodedQuery
        guard let text = url.string else {
            throw ConfigurationError("the endpoint path \"\(path)\" does not make a valid URL with the base URL.")
        }
        return text
    }

    /// An assistant id fills one path segment: a `/`, `?`, `#`, `.` or `..`, a space or a control
    /// character would make another URL than the one meant (`../x` a 404 that does not say why).
    static func checkAssistantID(_ id: String) throws {
        let segment = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))
        guard id.isEmpty || id == "." || id == ".." || !id.unicodeScalars.allSatisfy(segment.contains) else { return }
        throw ConfigurationError(
            "the assistant id \"\(id)\" (--assistant-id or ASSISTANT_ID) is not one path segment: give the id as LAMB shows it "
                + "(e.g. 7), without /, ?, #, spaces, or . and ..")
    }
}
