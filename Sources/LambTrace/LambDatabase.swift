import Foundation
import GRDB

/// A chat row as the export needs it: LAMB's id (hashed, never written), assistant and user turns.
struct LambChat {
    var id: String
    var assistantID: Int64
    var turns: [LambTurn]
}

/// A `LAMB_usage_logs` row: one completion LAMB answered.
struct LambCompletion: Equatable {
    var id: Int64
    var assistantID: Int64?
    var createdAt: Double
    var promptTokens: Int?
    var completionTokens: Int?
}

/// LAMB's SQLite file, opened read-only (`SQLITE_OPEN_READONLY`): nothing is ever written, and every
/// read is a short transaction of one page of rows, so a running LAMB (WAL mode) never waits on it
/// for longer than one page takes, and in rollback-journal mode a writer waits at most that long.
public struct LambDatabase {
    static let pageSize = 100
    private let queue: DatabaseQueue
    public let path: String

    public init(path: String) throws {
        self.path = path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw LambTraceError("--lamb-db \(path): no such file; give the path of LAMB's SQLite database (lamb.db)")
        }
        guard !isFolder.boolValue, access(path, R_OK) == 0 else {
            throw LambTraceError("--lamb-db \(path): \(isFolder.boolValue ? "it is a folder" : "it cannot be read")")
        }
        var configuration = Configuration()
        configuration.readonly = true
        // Locked (a rollback-journal database while LAMB commits; in WAL mode only while a WAL is
        // recovered): retry every millisecond, for 10 s, so the short gaps between a busy writer's
        // transactions are found (SQLite's own timeout sleeps up to 100 ms between tries and misses them).
        configuration.busyMode = .callback { tries in
            guard tries < 10_000 else { return false }
            usleep(1000)
            return true
        }
        configuration.label = "lamb-db"
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try checkSchema()
        } catch let error as LambTraceError {
            throw error
        } catch {
            throw LambTraceError("--lamb-db \(path) cannot be read as an SQLite database (\(Self.reason(error)))")
        }
    }

    /// Both tables the export reads, or a sentence that says this is not LAMB's database.
    private func checkSchema() throws {
        let tables = try queue.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        let missing = ["LAMB_lamb_chats", "LAMB_usage_logs"].filter { !tables.contains($0) }
        if !missing.isEmpty {
            throw LambTraceError("--lamb-db \(path) is not a LAMB database: it has no \(missing.joined(separator: " or ")) table")
        }
    }

    /// Every chat (of the assistants given, all when nil), read in pages by rowid.
    func chats(assistants: [Int64]?) throws -> [LambChat] {
        var chats: [LambChat] = []
        var after: Int64 = .min
        while true {
            let rows = try page(sql: "SELECT rowid, id, assistant_id, chat FROM LAMB_lamb_chats"
                                + " WHERE rowid > ?\(Self.filter(assistants)) ORDER BY rowid LIMIT \(Self.pageSize)",
                                after: after)
            for row in rows {
                let turns = LambChatTree.turns(json: row["chat"] ?? "") ?? []
                chats.append(LambChat(id: row["id"] ?? "", assistantID: row["assistant_id"] ?? 0, turns: turns))
            }
            guard let last = rows.last else { return chats }
            after = last["rowid"]
        }
    }

    /// Every completion (of the assistants given, all when nil), read in pages by id.
    func completions(assistants: [Int64]?) throws -> [LambCompletion] {
        var completions: [LambCompletion] = []
        var after: Int64 = .min
        while true {
            let rows = try page(sql: """
                SELECT id, assistant_id, created_at,
                       json_extract(usage_data, '$.prompt_tokens') AS prompt_tokens,
                       json_extract(usage_data, '$.completion_tokens') AS completion_tokens
                FROM LAMB_usage_logs WHERE id > ?\(Self.filter(assistants)) ORDER BY id LIMIT \(Self.pageSize)
                """, after: after)
            for row in rows {
                completions.append(LambCompletion(id: row["id"], assistantID: row["assistant_id"],
                                                  createdAt: row["created_at"] ?? 0,
                                                  promptTokens: row["prompt_tokens"],
                                                  completionTokens: row["completion_tokens"]))
            }
            guard let last = rows.last else { return completions }
            after = last["id"]
        }
    }

    /// One page in its own read transaction.
    private func page(sql: String, after: Int64) throws -> [Row] {
        do {
            return try queue.read { db in try Row.fetchAll(db, sql: sql, arguments: [after]) }
        } catch {
            throw LambTraceError("reading --lamb-db \(path) failed (\(Self.reason(error)))")
        }
    }

    private static func filter(_ assistants: [Int64]?) -> String {
        guard let assistants else { return "" }
        return " AND assistant_id IN (\(assistants.map(String.init).joined(separator: ", ")))"
    }

    private static func reason(_ error: Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
    }
}
