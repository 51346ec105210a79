package dev.hsi.prompt;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stored prompts: the one in use per model ({@code prompt_configs}, its {@code version} the optimistic lock)
 * and every version of it ({@code prompt_versions}). A model's built-in prompt is stored as version 1 the first
 * time its prompt is read, by the API or by the analyser. Shared by the API (which edits prompts) and the analyze
 * stage (which reads the one in use for each batch).
 */
public final class PromptRepository {

    /** A page of a model's history, newest first. */
    public record History(List<PromptVersion> versions, long totalCount) {
    }

    /** The outcome of a restore: the old version's settings are now the new current version. */
    public record Restored(int restoredVersion, PromptConfig current) {
    }

    private final Pool pool;

    public PromptRepository(Pool pool) {
        this.pool = pool;
    }

    /** The prompt in use for {@code model}, its built-in one stored first if none is; empty for an unknown model. */
    public Uni<Optional<PromptConfig>> current(String model) {
        return seeded(model).onItem().transformToUni(known -> known
                ? pool.preparedQuery(PromptSql.SELECT_CURRENT).execute(Tuple.of(model))
                        .map(rows -> rows.size() == 0 ? Optional.<PromptConfig>empty()
                                : Optional.of(config(rows.iterator().next())))
                : Uni.createFrom().item(Optional.empty()));
    }

    /**
     * Makes {@code settings} the next version of the model's prompt. With {@code expectedVersion}, only if that is
     * still the current version ({@link PromptConflictException} otherwise).
     */
    public Uni<PromptConfig> update(String model, PromptSettings settings, Optional<Integer> expectedVersion,
            String createdBy, String changeDescription) {
        return seeded(model).onItem().transformToUni(ignored -> pool.withTransaction(connection ->
                lockedVersion(connection, model).onItem().transformToUni(current -> {
                    if (expectedVersion.isPresent() && expectedVersion.get() != current) {
                        throw new PromptConflictException(model, expectedVersion.get(), current);
                    }
                    return writeNextVersion(connection, model, settings, createdBy, changeDescription);
                })));
    }

    /** Makes an older version's settings the next version, so that history keeps the way back too. */
    public Uni<Restored> restore(String model, int version, Optional<Integer> expectedVersion, String createdBy,
            String description) {
        return seeded(model).onItem().transformToUni(ignored -> pool.withTransaction(connection ->
                lockedVersion(connection, model).onItem().transformToUni(current -> {
                    if (expectedVersion.isPresent() && expectedVersion.get() != current) {
                        throw new PromptConflictException(model, expectedVersion.get(), current);
                    }
                    return connection.preparedQuery(PromptSql.SELECT_VERSION_CONFIG).execute(Tuple.of(model, version));
                }).onItem().transformToUni(rows -> {
                    if (rows.size() == 0) {
                        throw new PromptVersionNotFoundException(model, version);
                    }
                    PromptSettings settings = PromptSettings.fromStoredJson(rows.iterator().next().getString("config_json"));
                    String why = description == null || description.isBlank()
                            ? "Restored from version " + version : description;
                    return writeNextVersion(connection, model, settings, createdBy, why)
                            .map(restored -> new Restored(version, restored));
                })));
    }

    public Uni<History> history(String model, int limit, int offset) {
        return seeded(model).onItem().transformToUni(ignored -> Uni.combine().all().unis(
                        pool.preparedQuery(PromptSql.SELECT_HISTORY).execute(Tuple.of(model, limit, offset)),
                        pool.preparedQuery(PromptSql.COUNT_HISTORY).execute(Tuple.of(model)))
                .asTuple()
                .map(pages -> {
                    List<PromptVersion> versions = new ArrayList<>();
                    pages.getItem1().forEach(row -> versions.add(version(row)));
                    return new History(versions, pages.getItem2().iterator().next().getLong("total"));
                }));
    }

    /** Stores the model's built-in prompt unless it has one; false for a model without a built-in prompt. */
    private Uni<Boolean> seeded(String model) {
        Optional<PromptSettings> builtIn = DefaultPrompts.of(model);
        if (builtIn.isEmpty()) {
            return Uni.createFrom().item(false);
        }
        PromptSettings settings = builtIn.get();
        return pool.preparedQuery(PromptSql.SEED_DEFAULT)
                .execute(Tuple.of(model, settings.systemPrompt(), settings.temperature(), settings.maxTokens(),
                        settings.toJson().encode()))
                .replaceWith(true);
    }

    private static Uni<Integer> lockedVersion(SqlConnection connection, String model) {
        return connection.preparedQuery(PromptSql.LOCK_CURRENT_VERSION).execute(Tuple.of(model))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw new IllegalArgumentException("no prompt stored for model " + model);
                    }
                    return rows.iterator().next().getInteger("version");
                });
    }

    private static Uni<PromptConfig> writeNextVersion(SqlConnection connection, String model, PromptSettings settings,
            String createdBy, String changeDescription) {
        Tuple params = Tuple.tuple().addString(model).addString(settings.systemPrompt())
                .addDouble(settings.temperature()).addInteger(settings.maxTokens()).addString(createdBy)
                .addString(settings.toJson().encode()).addString(changeDescription);
        return connection.preparedQuery(PromptSql.UPDATE_TO_NEXT_VERSION).execute(params)
                .map(rows -> config(single(rows)));
    }

    private static Row single(RowSet<Row> rows) {
        return rows.iterator().next();
    }

    private static PromptConfig config(Row row) {
        return new PromptConfig(row.getString("model"),
                new PromptSettings(row.getString("system_prompt"), row.getDouble("temperature"),
                        row.getInteger("max_tokens")),
                row.getInteger("version"), row.getOffsetDateTime("updated_at").toInstant(),
                row.getString("created_by"), row.getString("change_description"));
    }

    private static PromptVersion version(Row row) {
        return new PromptVersion(row.getLong("id"), row.getString("model"), row.getInteger("version"),
                row.getOffsetDateTime("created_at").toInstant(), row.getString("created_by"),
                row.getString("change_description"), row.getBoolean("is_active"), row.getInteger("row_version"),
                PromptSettings.fromStoredJson(row.getString("config_json")));
    }
}
