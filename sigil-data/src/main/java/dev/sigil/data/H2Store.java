package dev.sigil.data;

import java.sql.Connection;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

/** The embedded H2 database's store, for {@link H2Upkeep}; only H2 and the JDK, so a plain H2 bench can run it too. */
final class H2Store {

    /** H2 rewrites chunks while less than this percentage of the file's chunks is live (its own default). */
    static final int TARGET_FILL_RATE = 90;

    /**
     * At most this many live bytes rewritten per run. The rewrite holds H2's store lock, and
     * commits wait for it: runs of up to 64 MB once a second raised the refresh's 99th
     * percentile to 300–500 ms, runs of 1 MB every 100 ms keep up and did not
     * (docs/PERFORMANCE.md, "Durable commits").
     */
    static final int REWRITE_LIMIT_BYTES = 1 << 20;

    private H2Store() {}

    /**
     * Forces what the store has written to the disk, then lets it reuse dead chunks after
     * {@code retentionMillis} and rewrites its sparse chunks; the rewritten pages go to the file
     * with the next commit.
     */
    static void upkeep(MVStore store, long retentionMillis) {
        if (store.getAutoCommitDelay() > 0) {
            return; // a write delay is set: H2's own background writer runs, and does this work
        }
        store.sync();
        if (store.getRetentionTime() != retentionMillis) {
            store.setRetentionTime((int) retentionMillis);
        }
        store.compact(TARGET_FILL_RATE, REWRITE_LIMIT_BYTES);
    }

    /** The H2 store behind {@code connection}: null unless it is a database file opened by this process. */
    static MVStore of(Connection connection) {
        try {
            if (!(driverConnection(connection) instanceof JdbcConnection h2)
                    || !(h2.getSession() instanceof SessionLocal local)
                    || local.getDatabase().getStore() == null) {
                return null;
            }
            MVStore store = local.getDatabase().getStore().getMvStore();
            return store.getFileStore() == null ? null : store;
        } catch (NoClassDefFoundError noH2) {
            return null;
        }
    }

    /**
     * The driver's own connection. A pooled connection of Payara's
     * ({@code com.sun.gjc.spi.base.ConnectionHolder}) answers {@code unwrap} with a proxy, which
     * only works for interfaces; its public {@code getConnection()} returns the driver's object.
     */
    static Connection driverConnection(Connection connection) {
        try {
            return connection.getClass().getMethod("getConnection").invoke(connection) instanceof Connection inner
                    ? inner
                    : connection;
        } catch (ReflectiveOperationException | RuntimeException notPooled) {
            return connection;
        }
    }
}
