/// The tables lamb-sim writes: LAMB's own (lamb a4836f14, `database_manager.py`), so that
/// `stress-test-db trace export --lamb-db` reads lamb-sim's file as it reads LAMB's, and a `chats` view
/// of each chat's messages in order for the tests and `/stats`.
enum LambSchema {
    static let statements = """
        CREATE TABLE IF NOT EXISTS LAMB_lamb_chats (
            id TEXT PRIMARY KEY,
            user_id INTEGER NOT NULL,
            assistant_id INTEGER NOT NULL,
            title TEXT NOT NULL DEFAULT 'New Chat',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            chat JSON NOT NULL DEFAULT '{"history": {"messages": {}}}',
            archived INTEGER DEFAULT 0);
        CREATE INDEX IF NOT EXISTS idx_LAMB_lamb_chats_user ON LAMB_lamb_chats(user_id);
        CREATE INDEX IF NOT EXISTS idx_LAMB_lamb_chats_assistant ON LAMB_lamb_chats(assistant_id);
        CREATE INDEX IF NOT EXISTS idx_LAMB_lamb_chats_user_assistant ON LAMB_lamb_chats(user_id, assistant_id);
        CREATE INDEX IF NOT EXISTS idx_LAMB_lamb_chats_updated ON LAMB_lamb_chats(updated_at);
        CREATE INDEX IF NOT EXISTS idx_LAMB_lamb_chats_archived ON LAMB_lamb_chats(archived);
        CREATE TABLE IF NOT EXISTS LAMB_usage_logs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            organization_id INTEGER NOT NULL,
            user_id INTEGER,
            assistant_id INTEGER,
            usage_data JSON NOT NULL,
            created_at INTEGER NOT NULL, model_name TEXT, provider TEXT);
        CREATE INDEX IF NOT EXISTS idx_LAMB_usage_logs_org_date ON LAMB_usage_logs(organization_id, created_at);
        CREATE INDEX IF NOT EXISTS idx_LAMB_usage_logs_user_date ON LAMB_usage_logs(user_id, created_at);
        CREATE INDEX IF NOT EXISTS idx_LAMB_usage_logs_assistant ON LAMB_usage_logs(assistant_id);
        CREATE TABLE IF NOT EXISTS LAMB_assistant_usage_totals (
            assistant_id INTEGER PRIMARY KEY,
            prompt_tokens_total INTEGER DEFAULT 0,
            completion_tokens_total INTEGER DEFAULT 0,
            total_tokens_total INTEGER DEFAULT 0,
            cost_usd_total REAL DEFAULT 0.0,
            updated_at INTEGER NOT NULL);
        CREATE VIEW IF NOT EXISTS chats AS
            SELECT c.rowid AS id, c.assistant_id, c.created_at, c.updated_at,
                   (SELECT json_group_array(json_object('role', json_extract(m.value, '$.role'),
                                                        'content', json_extract(m.value, '$.content')))
                    FROM json_each(c.chat, '$.history.messages') AS m) AS messages
            FROM LAMB_lamb_chats AS c;
        """

    /// LAMB's organisation, user and provider for every row lamb-sim writes (one token, one user).
    static let organizationID = 1
    static let userID = 1
    static let provider = "openai"
}
