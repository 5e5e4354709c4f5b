package dev.sigil.data;

import java.sql.SQLException;
import java.util.Set;

/**
 * Whether a failed insert met another row, or another transaction's insert, of the same unique
 * key: what the callers answer with 409 (an email or a client id taken, an idempotency key held).
 * Any other failure of the database is not the client's and stays a logged 5xx.
 */
public final class KeyContention {

    /**
     * The unique index refused the row (23505), or the wait for another transaction's insert of
     * the same key timed out (H2's HYT00, PostgreSQL's 55P03).
     */
    private static final Set<String> STATES = Set.of("23505", "HYT00", "55P03");

    private KeyContention() {}

    /** Whether {@code failure}, or one of its causes, is such a failure. */
    public static boolean causes(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
