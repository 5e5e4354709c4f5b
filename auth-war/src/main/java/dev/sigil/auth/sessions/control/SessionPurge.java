package dev.sigil.auth.sessions.control;

import dev.sigil.auth.monitoring.AuthMetrics;
import dev.sigil.web.OwnScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Deletes refresh-token and revocation rows that no longer matter, so neither table grows with
 * every login, refresh and logout forever.
 * <p>
 * A row matters while its token is neither expired nor revoked: only then does presenting it do
 * anything but fail (a spent one of a live session is what reuse detection finds, so it stays
 * until it expires). An expired or revoked token is refused whether its row exists or not, so
 * the row is kept only {@code auth.refresh.retention-seconds} longer, and then deleted: while it
 * is kept, a spent token presented again is still caught as reuse and ends its session; after,
 * it is refused like an unknown one. It also keeps history for inquiries (which session ended when).
 * <p>
 * A revocation matters until its {@code expires_at}, when every token it covers has expired:
 * after that no instance reads it ({@code Revocations#live}), and the purge deletes it.
 * <p>
 * Every {@code auth.refresh.purge-interval-seconds} each instance deletes such rows in batches of
 * {@code auth.refresh.purge-batch-size}, each batch a short transaction of its own that first
 * locks the {@code refresh-token-purge} row of {@code sigil_lock}: instances sharing the
 * database purge one batch at a time, and no batch holds locks for long.
 */
@ApplicationScoped
public class SessionPurge {

    private static final Logger LOG = Logger.getLogger(SessionPurge.class.getName());
    static final String LOCK = "SELECT name FROM sigil_lock WHERE name = 'refresh-token-purge' FOR UPDATE";

    @Resource(lookup = "java:comp/DefaultDataSource")
    DataSource database;

    @Inject
    AuthMetrics metrics = AuthMetrics.NONE;

    @Inject
    @ConfigProperty(name = "auth.refresh.retention-seconds", defaultValue = "259200")
    long retentionSeconds;

    @Inject
    @ConfigProperty(name = "auth.refresh.purge-interval-seconds", defaultValue = "3600")
    long intervalSeconds;

    @Inject
    @ConfigProperty(name = "auth.refresh.purge-batch-size", defaultValue = "1000")
    int batchSize;

    Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;

    /** On a thread of its own: a purge of a large backlog may run for minutes and holds up no other task. */
    void onStart(@Observes Startup startup) throws NamingException {
        scheduler = OwnScheduler.named("session-purge");
        scheduler.scheduleWithFixedDelay(this::run, intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void run() {
        try {
            long deleted = purge();
            if (deleted > 0) {
                LOG.info(() -> "Purged " + deleted + " refresh token(s) expired or revoked before "
                        + clock.instant().minusSeconds(retentionSeconds));
            }
        } catch (SQLException | RuntimeException | LinkageError e) { // thrown on, it would end the periodic task
            LOG.log(Level.WARNING, "Purging refresh tokens failed; trying again in " + intervalSeconds + " s", e);
        }
        try {
            long revocations = purgeRevocations();
            if (revocations > 0) {
                LOG.info(() -> "Purged " + revocations + " revocation(s) whose tokens have all expired");
            }
        } catch (SQLException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "Purging revocations failed; trying again in " + intervalSeconds + " s", e);
        }
    }

    /**
     * What makes a refresh-token row go, each condition with its cut-off: one at a time, since
     * H2 reads the whole table for the two joined by {@code OR}, and each alone reads its index.
     */
    static final List<String> TOKEN_CONDITIONS = List.of("expires_at < ?", "revoked_at < ?");

    /** What makes a revocation row go: every token it covers has expired. */
    static final String REVOCATION_CONDITION = "expires_at <= ?";

    /** Deletes every row expired or revoked longer than the retention ago, batch by batch: how many. */
    long purge() throws SQLException {
        Instant cutoff = clock.instant().minusSeconds(retentionSeconds);
        long total = 0;
        for (String condition : TOKEN_CONDITIONS) {
            total += deleteInBatches("sigil_refresh_token", condition, cutoff, metrics::purged);
        }
        metrics.refreshTokensStored(stored());
        return total;
    }

    /** Deletes every revocation that no longer covers a token that could be accepted, batch by batch: how many. */
    long purgeRevocations() throws SQLException {
        return deleteInBatches("sigil_token_revocation", REVOCATION_CONDITION, clock.instant(), deleted -> {});
    }

    /**
     * Deletes the table's rows that meet {@code condition} (its one parameter the cut-off) a
     * batch at a time, until a batch comes back short. The subquery that picks the
     * batch locks its rows and passes over those another transaction holds ({@code SKIP
     * LOCKED}): a revocation being raised, which may cover tokens again, or a user's rows being
     * revoked, which one statement changes in an order of its own. Had the purge waited for such
     * a row while holding another that transaction wants next, each would wait for the other, and
     * the database would fail one of them, perhaps a user's request. A row passed over is taken
     * by a later purge if it still qualifies; the deleting statement checks the condition again.
     */
    private long deleteInBatches(String table, String condition, Instant cutoff, LongConsumer perBatch)
            throws SQLException {
        int size = Math.max(1, batchSize);
        String sql = batchDelete(table, condition, size);
        long total = 0;
        int deleted;
        do {
            deleted = batch(sql, 2, cutoff);
            perBatch.accept(deleted);
            total += deleted;
        } while (deleted >= size && !Thread.currentThread().isInterrupted()); // interrupted: undeployed
        return total;
    }

    /** The statement that deletes one batch of {@code size} rows meeting {@code condition}. */
    static String batchDelete(String table, String condition, int size) {
        return String.format(
                Locale.ROOT,
                "DELETE FROM %1$s WHERE (%2$s) AND id IN"
                        + " (SELECT id FROM %1$s WHERE %2$s FETCH FIRST %3$d ROWS ONLY FOR UPDATE SKIP LOCKED)",
                table,
                condition,
                size);
    }

    /** One batch in a transaction of its own, after the lock row; each of its parameters is the cut-off. */
    private int batch(String delete, int parameters, Instant cutoff) throws SQLException {
        try (Connection connection = database.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement lock = connection.createStatement();
                    PreparedStatement statement = connection.prepareStatement(delete)) {
                lock.executeQuery(LOCK).close();
                for (int i = 1; i <= parameters; i++) {
                    statement.setObject(i, cutoff.atOffset(ZoneOffset.UTC));
                }
                int deleted = statement.executeUpdate();
                connection.commit();
                return deleted;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        }
    }

    private long stored() throws SQLException {
        try (Connection connection = database.getConnection();
                Statement count = connection.createStatement();
                ResultSet rows = count.executeQuery("SELECT COUNT(*) FROM sigil_refresh_token")) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
