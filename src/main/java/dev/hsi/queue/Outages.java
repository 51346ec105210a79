package dev.hsi.queue;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells a failure caused by unreachable infrastructure from a failure of the job itself. What the clients throw
 * (checked against real servers being stopped, see the fault tests):
 * <ul>
 *   <li>PostgreSQL stopped under a running query: {@link ClosedConnectionException} ("Failed to read any response
 *       from the server"); afterwards every query: {@link ConnectException} "Connection refused" (Netty's
 *       {@code AnnotatedConnectException}, wrapped in a {@code CompletionException});</li>
 *   <li>a server shutting down or starting up: {@link PgException} with SQLSTATE 57P01-57P03, a lost or refused
 *       connection 08xxx, too many connections 53300;</li>
 *   <li>Redis stopped under a command: {@code ErrorType} "CONNECTION_CLOSED"; afterwards {@link ConnectException};
 *       while Redis loads its file: "LOADING";</li>
 *   <li>a connection or pool used after it closed: "Connection is not active", "Connection closed", "Pool closed".</li>
 * </ul>
 * The answer is a hint: the consumer asks the health probe before it treats a failure as an outage.
 */
public final class Outages {

    private static final Set<String> PG_OUTAGE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final Pattern CLOSED_MESSAGE = Pattern.compile(
            "(?i).*(connection is not active|connection (was )?closed|connection reset|pool closed|client is closed"
                    + "|^CONNECTION_CLOSED|^LOADING|^MASTERDOWN).*");
    private static final int MAX_DEPTH = 12;

    private Outages() {
    }

    /** A short description of the infrastructure failure behind {@code failure}, or empty for a job failure. */
    public static Optional<String> infrastructureCause(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++, cause = cause.getCause()) {
            if (cause instanceof ConnectException || cause instanceof ClosedChannelException
                    || cause instanceof SocketException || cause instanceof ClosedConnectionException) {
                return Optional.of(describe(cause));
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || PG_OUTAGE_STATES.contains(pg.getSqlState()))) {
                return Optional.of("PostgreSQL " + pg.getSqlState() + ": " + pg.getErrorMessage());
            }
            if (cause.getMessage() != null && CLOSED_MESSAGE.matcher(cause.getMessage()).matches()) {
                return Optional.of(describe(cause));
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }

    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
