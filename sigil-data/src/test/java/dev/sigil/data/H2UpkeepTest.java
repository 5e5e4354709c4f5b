package dev.sigil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file under a steady load of small commits, each written at commit as the
 * services have it: without upkeep the file keeps the space of every commit; with it the file
 * stays a fraction of what was written, and every acknowledged commit is still there after the
 * database is dropped without closing.
 */
class H2UpkeepTest {

    static final int THREADS = 4;
    static final int SEEDED = 2_000;
    static final long LOAD_MILLIS = 5_000;
    static final long INTERVAL_MILLIS = 50;

    @TempDir
    Path directory;

    record Run(long fileBytes, long writtenBytes, long commits) {}

    @Test
    void withoutUpkeepTheFileKeepsTheSpaceOfEveryCommit() throws Exception {
        Run run = load(directory.resolve("plain"), false);
        assertTrue(run.fileBytes > run.writtenBytes / 2, run::toString);
    }

    @Test
    void withUpkeepTheFileStaysAFractionOfWhatWasWrittenAndKeepsEveryCommit() throws Exception {
        Run run = load(directory.resolve("kept"), true);
        assertTrue(run.fileBytes < run.writtenBytes / 4, run::toString);
    }

    @Test
    void whileAWriteDelayIsSetH2sOwnWriterDoesTheWork() throws SQLException {
        try (Connection c = DriverManager.getConnection(
                        "jdbc:h2:" + directory.resolve("delayed") + ";WRITE_DELAY=500", "", "");
                Statement statement = c.createStatement()) {
            MVStore store = H2Store.of(c);
            H2Store.upkeep(store, 250);
            assertEquals(45_000, store.getRetentionTime(), "H2's default");
            statement.execute("SET WRITE_DELAY 0");
            H2Store.upkeep(store, 250);
            assertEquals(250, store.getRetentionTime());
        }
    }

    @Test
    void onlyAnH2FileThisProcessOpenedHasAStore() throws SQLException {
        try (Connection file = DriverManager.getConnection("jdbc:h2:" + directory.resolve("own"), "", "");
                Connection memory = DriverManager.getConnection("jdbc:h2:mem:upkeep", "", "")) {
            assertNotNull(H2Store.of(file));
            assertNull(H2Store.of(memory));
        }
        Connection other = (Connection) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> false);
        assertNull(H2Store.of(other));
    }

    /**
     * {@code THREADS} writers each update a row and insert one per commit for {@code LOAD_MILLIS};
     * then the database is dropped as a killed process would leave it, opened again, and every
     * acknowledged commit must be there.
     */
    Run load(Path base, boolean upkeep) throws Exception {
        String url = "jdbc:h2:" + base + ";WRITE_DELAY=0";
        AtomicLong commits = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        Run run;
        try (Connection owner = DriverManager.getConnection(url, "", "")) {
            seed(owner);
            MVStore store = H2Store.of(owner);
            long writtenBefore = written();
            ExecutorService threads = Executors.newFixedThreadPool(THREADS + 1);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                work.add(threads.submit(() -> write(url, commits, stop)));
            }
            if (upkeep) {
                work.add(threads.submit(() -> {
                    while (!stop.get()) {
                        H2Store.upkeep(store, H2Upkeep.RETENTION_INTERVALS * INTERVAL_MILLIS);
                        Thread.sleep(INTERVAL_MILLIS);
                    }
                    return null;
                }));
            }
            Thread.sleep(LOAD_MILLIS);
            stop.set(true);
            for (Future<?> done : work) {
                done.get();
            }
            threads.shutdown();
            run = new Run(Files.size(Path.of(base + ".mv.db")), written() - writtenBefore, commits.get());
            try (Statement drop = owner.createStatement()) {
                drop.execute("SHUTDOWN IMMEDIATELY");
            } catch (SQLException closed) {
                // SHUTDOWN ends the connection it runs on
            }
        }
        try (Connection reopened = DriverManager.getConnection(url, "", "");
                Statement count = reopened.createStatement();
                ResultSet rows = count.executeQuery("SELECT COUNT(*), SUM(n) FROM item")) {
            rows.next();
            assertEquals(SEEDED + run.commits, rows.getLong(1), "rows after reopening");
            assertEquals(run.commits, rows.getLong(2), "updates after reopening");
        }
        assertTrue(run.commits > 1_000, run::toString);
        return run;
    }

    /** Bytes this process has written so far (Linux); the database's writes are nearly all of them. */
    static long written() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/io")).stream()
                .filter(line -> line.startsWith("wchar:"))
                .mapToLong(
                        line -> Long.parseLong(line.substring("wchar:".length()).trim()))
                .findFirst()
                .orElseThrow();
    }

    static void seed(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id VARCHAR(36) PRIMARY KEY, owner INT NOT NULL, n INT NOT NULL)");
            s.execute("CREATE INDEX item_owner ON item (owner)");
            s.execute("INSERT INTO item SELECT RANDOM_UUID(), X, 0 FROM SYSTEM_RANGE(1, " + SEEDED + ")");
        }
    }

    /** Until stopped: one commit that adds a row (n = 0) and adds 1 to a seeded row's n. */
    static Void write(String url, AtomicLong commits, AtomicBoolean stop) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "", "");
                PreparedStatement insert = c.prepareStatement("INSERT INTO item VALUES (?, ?, 0)");
                PreparedStatement update = c.prepareStatement("UPDATE item SET n = n + 1 WHERE owner = ?")) {
            c.setAutoCommit(false);
            while (!stop.get()) {
                int owner = ThreadLocalRandom.current().nextInt(1, SEEDED + 1);
                insert.setString(1, UUID.randomUUID().toString());
                insert.setInt(2, -owner);
                insert.executeUpdate();
                update.setInt(1, owner);
                update.executeUpdate();
                c.commit();
                commits.incrementAndGet();
            }
        }
        return null;
    }

    @Test
    void anIntervalOutsideItsRangeStopsTheStart() {
        for (long interval : new long[] {0, -100, H2Upkeep.MAX_INTERVAL_MILLIS + 1}) {
            H2Upkeep upkeep = new H2Upkeep();
            upkeep.intervalMillis = interval;
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> upkeep.onStart(null));
            assertTrue(
                    refused.getMessage()
                            .startsWith("sigil.db.h2.upkeep-interval-ms (" + interval + ") must be from 1 to"),
                    refused::getMessage);
        }
    }
}
