package dev.hsi.prompt;

/** SQL of prompt storage: the current prompt per model, and every version of it. */
final class PromptSql {

    /**
     * $1 model, $2 system_prompt, $3 temperature, $4 max_tokens, $5 config_json. Stores the built-in prompt as
     * version 1 with its history entry, unless the model has a prompt already; both rows or neither.
     */
    static final String SEED_DEFAULT = """
            WITH config AS (
                INSERT INTO prompt_configs (model, system_prompt, temperature, max_tokens, version)
                VALUES ($1, $2, $3, $4, 1)
                ON CONFLICT (model) DO NOTHING
                RETURNING model, version
            )
            INSERT INTO prompt_versions (model, version, created_by, config_json, change_description, is_active)
            SELECT model, version, 'system', $5, 'Initial configuration', true FROM config
            ON CONFLICT (model, version) DO NOTHING
            """;

    /** $1 model. The current prompt, with who made its version and why. */
    static final String SELECT_CURRENT = """
            SELECT c.model, c.system_prompt, c.temperature, c.max_tokens, c.version, c.updated_at,
                   v.created_by, v.change_description
              FROM prompt_configs c
              LEFT JOIN prompt_versions v ON v.model = c.model AND v.version = c.version
             WHERE c.model = $1
            """;

    /** $1 model. Locks the model's prompt for the rest of the transaction: updates of one model go one by one. */
    static final String LOCK_CURRENT_VERSION = """
            SELECT version FROM prompt_configs WHERE model = $1 FOR UPDATE
            """;

    /**
     * $1 model, $2 system_prompt, $3 temperature, $4 max_tokens, $5 created_by, $6 config_json,
     * $7 change_description. Makes the settings the next version: the current one is updated, the previous history
     * entry is no longer active (its row_version counts the change), a new active entry is added. Run after
     * {@link #LOCK_CURRENT_VERSION} in the same transaction, so that the snapshot sees every earlier update.
     */
    static final String UPDATE_TO_NEXT_VERSION = """
            WITH updated AS (
                UPDATE prompt_configs
                   SET system_prompt = $2, temperature = $3, max_tokens = $4, version = version + 1, updated_at = now()
                 WHERE model = $1
                RETURNING model, system_prompt, temperature, max_tokens, version, updated_at
            ), retired AS (
                UPDATE prompt_versions SET is_active = false, row_version = row_version + 1
                 WHERE model = $1 AND is_active
            ), added AS (
                INSERT INTO prompt_versions (model, version, created_by, config_json, change_description, is_active)
                SELECT model, version, $5, $6, $7, true FROM updated
            )
            SELECT model, system_prompt, temperature, max_tokens, version, updated_at,
                   $5::text AS created_by, $7::text AS change_description
              FROM updated
            """;

    /** $1 model, $2 limit, $3 offset. Newest version first. */
    static final String SELECT_HISTORY = """
            SELECT id, model, version, created_at, created_by, change_description, is_active, row_version, config_json
              FROM prompt_versions
             WHERE model = $1
             ORDER BY version DESC
             LIMIT $2 OFFSET $3
            """;

    /** $1 model. */
    static final String COUNT_HISTORY = """
            SELECT count(*) AS total FROM prompt_versions WHERE model = $1
            """;

    /** $1 model, $2 version. */
    static final String SELECT_VERSION_CONFIG = """
            SELECT config_json FROM prompt_versions WHERE model = $1 AND version = $2
            """;

    private PromptSql() {
    }
}
