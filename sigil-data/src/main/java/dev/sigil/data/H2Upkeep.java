package dev.sigil.data;

import dev.sigil.web.OwnScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.h2.mvstore.MVStore;

/**
 * Keeps the embedded H2 database's file from growing without bound, and its writes on the disk.
 * <p>
 * The services have H2 write every commit to its file before the commit returns
 * ({@code WRITE_DELAY=0}). H2 then runs no background writer, and that thread is the only one
 * that rewrites old chunks still holding a few live pages: under a steady write load each
 * commit leaves a chunk of tens of kilobytes that a page or two keep alive, and the file grows
 * by megabytes a second for as long as the load lasts. Every {@code sigil.db.h2.upkeep-interval-ms}
 * this task does that work instead: it forces the file to the disk and rewrites sparse chunks.
 * <p>
 * H2 reuses the space of a dead chunk only after its retention time, 45 s by default, so that
 * the newer chunks have reached the disk by then: a power loss must not find a new chunk over an
 * old one that the newest chunk on the disk still needs. Since this task forces the file to the
 * disk every interval, a retention of {@value #RETENTION_MILLIS} ms (or {@value
 * #RETENTION_INTERVALS} intervals, if longer) gives the same safety, and the file stays several
 * times smaller under load. Each run rewrites little ({@link H2Store#REWRITE_LIMIT_BYTES}), so
 * that the store lock it holds never stops commits for long.
 * <p>
 * It does nothing on PostgreSQL, on an in-memory database, when another process owns the H2
 * file (auto-server mode), or while a write delay is set.
 */
@ApplicationScoped
public class H2Upkeep {

    private static final Logger LOG = Logger.getLogger(H2Upkeep.class.getName());

    /** How long a dead chunk is kept: many intervals, so many forced writes, and time for a slow one. */
    static final int RETENTION_MILLIS = 5_000;

    /** The longest interval allowed: the file is forced to the disk at least this often. */
    static final long MAX_INTERVAL_MILLIS = 60_000;

    /** At least this many intervals, should the interval be set longer. */
    static final int RETENTION_INTERVALS = 5;

    @Inject
    @ConfigProperty(name = "sigil.db.h2.upkeep-interval-ms", defaultValue = "100")
    long intervalMillis;

    private DataSource database;
    private ScheduledFuture<?> schedule;
    private ScheduledExecutorService ownScheduler;

    /** Whether the last run failed: a failure is logged once, not ten times a second. */
    private boolean failing;

    void onStart(@Observes Startup startup) throws NamingException {
        if (intervalMillis < 1 || intervalMillis > MAX_INTERVAL_MILLIS) {
            throw new IllegalStateException("sigil.db.h2.upkeep-interval-ms (" + intervalMillis + ") must be from 1 to "
                    + MAX_INTERVAL_MILLIS + ": how much of what was committed a power loss may take");
        }
        database = DefaultDataSource.lookup();
        ownScheduler = OwnScheduler.named("h2-upkeep");
        schedule =
                ownScheduler.scheduleWithFixedDelay(this::run, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (schedule != null) {
            schedule.cancel(false);
        }
        if (ownScheduler != null) {
            ownScheduler.shutdown(); // never interrupt a run: an interrupted file channel closes H2's store
        }
    }

    private void run() {
        try (Connection connection = database.getConnection()) {
            MVStore store = H2Store.of(connection);
            if (store == null) {
                LOG.fine("The database is not an H2 file this process owns: no upkeep");
                schedule.cancel(false);
                return;
            }
            H2Store.upkeep(store, Math.max(RETENTION_MILLIS, RETENTION_INTERVALS * intervalMillis));
            if (failing) {
                failing = false;
                LOG.info("H2 upkeep works again");
            }
        } catch (SQLException | RuntimeException | LinkageError e) { // thrown on, it would end the periodic task
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "H2 upkeep failed; trying again every " + intervalMillis + " ms", e);
            }
        }
    }
}
