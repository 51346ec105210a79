package dev.hsi.audit;

import io.vertx.core.json.JsonObject;

/**
 * One security-relevant change, as a row of {@code audit_logs}: what ({@code action}, e.g. {@code rule_created}),
 * on what ({@code resourceType}, {@code resourceId}), by whom ({@code actor}: the API key's name, or
 * {@code anonymous} without keys) from where, and whether it succeeded.
 */
public record AuditEntry(String action, String resourceType, String resourceId, String actor, String ipAddress,
        String userAgent, JsonObject details, boolean succeeded) {

    public static final String ANONYMOUS = "anonymous";
    public static final String SUCCESS = "success";
    public static final String FAILURE = "failure";

    public String status() {
        return succeeded ? SUCCESS : FAILURE;
    }
}
