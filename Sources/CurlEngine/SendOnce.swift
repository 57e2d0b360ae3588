import CCurl

/// Keeps libcurl from sending a request twice. When a kept-alive connection dies after the request
/// was written but before any response byte, libcurl silently re-sends it on a fresh connection
/// ("Connection died, retrying a fresh connect"): the server gets it twice and the failure is hidden.
/// libcurl calls CURLOPT_PREREQFUNCTION right before each time it sends the request; the second call
/// within one transfer is that re-send, and answering ABORT stops it before a byte goes out. The
/// transfer then ends with CURLE_ABORTED_BY_CALLBACK, which the record reports as `ServerDisconnected`.
///
/// (A read callback without a seek callback also stops the re-send, but then libcurl writes the
/// head and the body in two sends, which cost ~8 µs a request here; POSTFIELDS keeps it one send.)
final class SendOnce {
    /// Times libcurl was about to send the current request.
    var attempts = 0

    /// libcurl wanted to send the request again in this transfer, and was stopped.
    var stoppedResend: Bool { attempts > 1 }

    static let prereqFunction: curl_prereq_callback = { userData, _, _, _, _ in
        guard let userData else { return CURL_PREREQFUNC_OK }
        // The pointer `setSendOnce` gave this handle; the guardian's owner keeps it alive as long (see there).
        let guardian = Unmanaged<SendOnce>.fromOpaque(userData).takeUnretainedValue()
        guardian.attempts += 1
        return guardian.attempts > 1 ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK
    }
}

extension EasyHandle {
    /// Guards every transfer on this handle with `guardian`, which must outlive the handle's use
    /// and be reset (`attempts = 0`) before each request.
    func setSendOnce(_ guardian: SendOnce) throws {
        try require(stdb_easy_setopt_prereq_function(raw, SendOnce.prereqFunction), "CURLOPT_PREREQFUNCTION")
        // Unretained: a VU holds its guardian beside its handle, `Probe` holds it through curl_easy_perform.
        set(CURLOPT_PREREQDATA, pointer: Unmanaged.passUnretained(guardian).toOpaque())
    }

    /// Method and body; the body is borrowed and must outlive the handle's use. Sent with the head
    /// in one write (POSTFIELDS); see `SendOnce` for why a re-send cannot happen.
    func setRequest(method: String, body: UnsafeRawBufferPointer?) throws {
        try setMethod(method)
        guard let body else { return }
        try require(stdb_easy_setopt_off(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
        set(CURLOPT_POSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: body.baseAddress))
    }
}
