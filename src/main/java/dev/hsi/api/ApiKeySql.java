package dev.hsi.api;

/** The API keys' SQL: only SHA-256 hashes are stored. */
final class ApiKeySql {

    static final String REGISTER = """
            INSERT INTO api_keys (key_hash, name)
            VALUES ($1, $2)
            ON CONFLICT (key_hash) DO NOTHING
            """;

    static final String ACTIVE_HASHES = """
            SELECT key_hash, name FROM api_keys WHERE is_active
            """;

    private ApiKeySql() {
    }
}
