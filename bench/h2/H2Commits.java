import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a durable commit costs on plain H2, outside the server: auth's refresh transaction
 * (find the token by hash, lock the user's row, re-read the token, mark it used, read the user
 * and groups, insert the successor) on auth's schema, 8 threads, each variant on a fresh file
 * with 20,000 tokens, side by side, in passes whose order reverses. Per variant it prints the
 * transactions a second, the process CPU time and the bytes written (/proc/self/io) per
 * transaction, and the file size: the last two hardly depend on the neighbours on a shared
 * machine, the rate does.
 *
 *   unzip -p target/payara-micro.jar MICRO-INF/runtime/h2.jar > /tmp/h2.jar
 *   ./mvnw -q -pl sigil-data compile
 *   java -cp /tmp/h2.jar:sigil-data/target/classes [-Donly=regex] bench/h2/H2Commits.java \
 *       [seconds per run, 5] [passes, 2] [directory, /tmp/h2-commits] [rate]
 *
 * rate: transactions a second for all threads together (0, the default: as many as they can),
 * to see the file size under a steady load; with a rate the size is also printed every 20 s.
 * only: run the variants whose name matches. The "upkeep" variants run the services' upkeep
 * ({@code dev.sigil.data.H2Store.upkeep}) every 100 ms with a retention of 5 s, as they do, or
 * one of its halves, or the whole every second ({@link Upkeep}).
 */
public class H2Commits {

    static final int THREADS = 8;
    static int rate;

    /**
     * url: settings appended to the URL; rowLock: SELECT … FOR UPDATE; ownUsers: one user per thread; upkeep: what runs
     * every 100 ms beside the load; gatherMicros: with group commit, how long the thread that writes waits for more
     * commits to join its write before it starts.
     */
    record Variant(String name, String url, boolean rowLock, boolean ownUsers, boolean fewerIndexes, boolean groupCommit,
            Upkeep upkeep, long gatherMicros, int keysPerPage) {
        Variant(String name, String url, boolean rowLock, boolean ownUsers, boolean fewerIndexes, boolean groupCommit) {
            this(name, url, rowLock, ownUsers, fewerIndexes, groupCommit, Upkeep.NONE, 0);
        }

        Variant(String name, String url, boolean rowLock, boolean ownUsers, boolean fewerIndexes, boolean groupCommit,
                Upkeep upkeep) {
            this(name, url, rowLock, ownUsers, fewerIndexes, groupCommit, upkeep, 0);
        }

        Variant(String name, String url, boolean rowLock, boolean ownUsers, boolean fewerIndexes, boolean groupCommit,
                Upkeep upkeep, long gatherMicros) {
            this(name, url, rowLock, ownUsers, fewerIndexes, groupCommit, upkeep, gatherMicros, 0);
        }

        /** 8 users at commit, with the store's pages split at {@code keysPerPage} keys instead of H2's 48. */
        static Variant keysPerPage(int keysPerPage, Upkeep upkeep) {
            return new Variant("8 users, at commit, " + keysPerPage + " keys/page" + (upkeep == Upkeep.NONE ? "" : ", upkeep"),
                    ";WRITE_DELAY=0", true, true, false, false, upkeep, 0, keysPerPage);
        }
    }

    /**
     * SERVICES: the services' upkeep (dev.sigil.data.H2Store.upkeep: force to the disk, then rewrite sparse chunks);
     * SYNC_ONLY and REWRITE_ONLY: one of its two halves, to tell what each costs; EVERY_SECOND: the whole every tenth run.
     */
    enum Upkeep { NONE, SERVICES, SYNC_ONLY, REWRITE_ONLY, EVERY_SECOND }

    static final List<Variant> ALL = List.of(
            new Variant("written later (WRITE_DELAY=500)", ";WRITE_DELAY=500", true, false, false, false),
            new Variant("at commit (WRITE_DELAY=0)", ";WRITE_DELAY=0", true, false, false, false),
            new Variant("8 users, written later", ";WRITE_DELAY=500", true, true, false, false),
            new Variant("8 users, at commit", ";WRITE_DELAY=0", true, true, false, false),
            new Variant("at commit, no row lock", ";WRITE_DELAY=0", false, false, false, false),
            new Variant("at commit, 3 indexes not 6", ";WRITE_DELAY=0", true, false, true, false),
            new Variant("at commit, PAGE_SIZE=1024", ";WRITE_DELAY=0;PAGE_SIZE=1024", true, false, false, false),
            new Variant("at commit, COMPRESS=TRUE", ";WRITE_DELAY=0;COMPRESS=TRUE", true, false, false, false),
            new Variant("at commit, RETENTION_TIME=0", ";WRITE_DELAY=0;RETENTION_TIME=0", true, false, false, false),
            new Variant("group commit (CHECKPOINT)", ";WRITE_DELAY=500", true, false, false, true),
            new Variant("8 users, at commit, with upkeep", ";WRITE_DELAY=0", true, true, false, false, Upkeep.SERVICES),
            new Variant("8 users, at commit, upkeep: sync only", ";WRITE_DELAY=0", true, true, false, false,
                    Upkeep.SYNC_ONLY),
            new Variant("8 users, at commit, upkeep: rewrite only", ";WRITE_DELAY=0", true, true, false, false,
                    Upkeep.REWRITE_ONLY),
            new Variant("8 users, at commit, upkeep every second", ";WRITE_DELAY=0", true, true, false, false,
                    Upkeep.EVERY_SECOND),
            new Variant("8 users, group commit", ";WRITE_DELAY=500", true, true, false, true),
            new Variant("8 users, group commit, gather 1 ms", ";WRITE_DELAY=500", true, true, false, true, Upkeep.NONE,
                    1000),
            new Variant("8 users, group commit, gather 3 ms", ";WRITE_DELAY=500", true, true, false, true, Upkeep.NONE,
                    3000),
            Variant.keysPerPage(24, Upkeep.NONE),
            Variant.keysPerPage(16, Upkeep.NONE),
            Variant.keysPerPage(8, Upkeep.NONE),
            Variant.keysPerPage(4, Upkeep.NONE),
            Variant.keysPerPage(8, Upkeep.SERVICES));

    static final List<Variant> VARIANTS =
            ALL.stream().filter(v -> v.name().matches(System.getProperty("only", ".*"))).toList();

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path directory = Path.of(args.length > 2 ? args[2] : "/tmp/h2-commits");
        rate = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Files.createDirectories(directory);
        for (Variant variant : VARIANTS) { // warm-up: the JIT compiles what every variant runs
            run(variant, directory.resolve("warm"), 3, false);
        }
        for (int pass = 0; pass < passes; pass++) {
            List<Variant> order = new ArrayList<>(VARIANTS);
            if (pass % 2 == 1) {
                Collections.reverse(order);
            }
            for (Variant variant : order) {
                run(variant, directory.resolve("db"), seconds, true);
            }
        }
    }

    static void run(Variant variant, Path base, int seconds, boolean print) throws Exception {
        for (String suffix : new String[] {".mv.db", ".trace.db", ".lock.db"}) {
            Files.deleteIfExists(Path.of(base + suffix));
        }
        String url = "jdbc:h2:" + base + variant.url;
        String[] users = new String[THREADS];
        Connection holder = DriverManager.getConnection(url, "", ""); // keeps the store, and its page size, open
        if (variant.keysPerPage > 0) {
            keysPerPage(holder, variant.keysPerPage);
        }
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            create(c.createStatement(), variant.fewerIndexes);
            PreparedStatement user = c.prepareStatement("INSERT INTO sigil_user VALUES (?, ?, ?, CURRENT_TIMESTAMP, TRUE)");
            for (int i = 0; i < 200 + THREADS; i++) {
                String id = UUID.randomUUID().toString();
                if (i >= 200 && (variant.ownUsers || i == 200)) {
                    java.util.Arrays.fill(users, i - 200, variant.ownUsers ? i - 199 : THREADS, id);
                }
                user.setString(1, id);
                user.setString(2, "user" + i + "@example.com");
                user.setString(3, "x".repeat(120));
                user.executeUpdate();
            }
            c.setAutoCommit(false);
            PreparedStatement token = c.prepareStatement("INSERT INTO sigil_refresh_token (id, token_hash, family_id, "
                    + "user_id, created_at, expires_at) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP, DATEADD(DAY, 1, CURRENT_TIMESTAMP))");
            for (int i = 0; i < 20000; i++) {
                token.setString(1, UUID.randomUUID().toString());
                token.setString(2, hash());
                token.setString(3, UUID.randomUUID().toString());
                token.setString(4, users[0]);
                token.addBatch();
                if (i % 1000 == 999) {
                    token.executeBatch();
                    c.commit();
                }
            }
        }
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        GroupCommit group = variant.groupCommit ? new GroupCommit(variant.gatherMicros) : null;
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> chains = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String user = users[t];
            chains.add(threads.submit(() -> {
                chain(url, user, variant.rowLock, group, done, stop);
                return null;
            }));
        }
        Thread.sleep(2000);
        long count = done.get(), nanos = System.nanoTime(), cpu = cpu(), written = written();
        try (Connection owner = DriverManager.getConnection(url, "", "")) {
            org.h2.mvstore.MVStore store = null;
            java.lang.reflect.Method upkeep = null;
            if (variant.upkeep != Upkeep.NONE) {
                Class<?> h2Store = Class.forName("dev.sigil.data.H2Store");
                java.lang.reflect.Method fileStore = h2Store.getDeclaredMethod("of", Connection.class);
                fileStore.setAccessible(true);
                store = (org.h2.mvstore.MVStore) fileStore.invoke(null, owner);
                upkeep = h2Store.getDeclaredMethod("upkeep", org.h2.mvstore.MVStore.class, long.class);
                upkeep.setAccessible(true);
                store.setRetentionTime(5000); // as in the services
            }
            for (long tick = 1; tick <= seconds * 10L; tick++) { // every 100 ms
                Thread.sleep(100);
                switch (variant.upkeep) {
                    case SERVICES -> upkeep.invoke(null, store, 5000L);
                    case EVERY_SECOND -> {
                        if (tick % 10 == 0) {
                            upkeep.invoke(null, store, 5000L);
                        }
                    }
                    case SYNC_ONLY -> store.sync();
                    case REWRITE_ONLY -> store.compact(90, 1 << 20);
                    case NONE -> {}
                }
                if (print && rate > 0 && tick % 200 == 0) {
                    System.out.printf("  %s, %d s: %.1f MB%n", variant.name, tick / 10, Files.size(Path.of(base + ".mv.db")) / 1048576.0);
                }
            }
        }
        count = done.get() - count;
        nanos = System.nanoTime() - nanos;
        cpu = cpu() - cpu;
        written = written() - written;
        stop.set(true);
        for (Future<?> chain : chains) {
            chain.get();
        }
        threads.shutdown();
        if (print) {
            System.out.printf("| %-32s | %6.0f | %5.0f | %5.1f | %6.1f |%n", variant.name, count * 1e9 / nanos,
                    cpu / 1e3 / count, written / 1024.0 / count, Files.size(Path.of(base + ".mv.db")) / 1048576.0);
        }
        holder.close();
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            c.createStatement().execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closed) {
            // SHUTDOWN ends the connection it runs on
        }
    }

    /** auth's tables and indexes (db/auth/V1, V3); with fewerIndexes (user, family) and one end time instead of four. */
    static void create(Statement s, boolean fewerIndexes) throws SQLException {
        s.execute("CREATE TABLE sigil_user (id VARCHAR(36) NOT NULL, email VARCHAR(254) NOT NULL, password_hash "
                + "VARCHAR(512) NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, enabled BOOLEAN NOT NULL, "
                + "CONSTRAINT pk_sigil_user PRIMARY KEY (id), CONSTRAINT uk_user_email UNIQUE (email))");
        s.execute("CREATE TABLE sigil_user_group (user_id VARCHAR(36) NOT NULL, group_name VARCHAR(64) NOT NULL, "
                + "PRIMARY KEY (user_id, group_name))");
        s.execute("CREATE TABLE sigil_refresh_token (id VARCHAR(36) NOT NULL, token_hash VARCHAR(64) NOT NULL, "
                + "family_id VARCHAR(36) NOT NULL, user_id VARCHAR(36) NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, "
                + "expires_at TIMESTAMP WITH TIME ZONE NOT NULL, used_at TIMESTAMP WITH TIME ZONE, revoked_at TIMESTAMP WITH "
                + "TIME ZONE, ends_at TIMESTAMP WITH TIME ZONE, CONSTRAINT pk_sigil_refresh_token PRIMARY KEY (id))");
        s.execute("CREATE UNIQUE INDEX sigil_refresh_token_hash ON sigil_refresh_token (token_hash)");
        if (fewerIndexes) {
            s.execute("CREATE INDEX sigil_refresh_token_user_family ON sigil_refresh_token (user_id, family_id)");
            s.execute("CREATE INDEX sigil_refresh_token_ends ON sigil_refresh_token (ends_at)");
        } else {
            s.execute("CREATE INDEX sigil_refresh_token_family ON sigil_refresh_token (family_id)");
            s.execute("CREATE INDEX sigil_refresh_token_user ON sigil_refresh_token (user_id)");
            s.execute("CREATE INDEX sigil_refresh_token_expires ON sigil_refresh_token (expires_at)");
            s.execute("CREATE INDEX sigil_refresh_token_revoked ON sigil_refresh_token (revoked_at)");
        }
    }

    /** One refresh chain: the statements auth's Sessions.refresh issues, until stopped. */
    static void chain(String url, String user, boolean rowLock, GroupCommit group, AtomicLong done, AtomicBoolean stop)
            throws Exception {
        String columns = "id, created_at, expires_at, family_id, revoked_at, token_hash, used_at, user_id";
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            c.setAutoCommit(false);
            PreparedStatement insert = c.prepareStatement("INSERT INTO sigil_refresh_token (id, token_hash, family_id, "
                    + "user_id, created_at, expires_at, used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)");
            PreparedStatement byHash = c.prepareStatement("SELECT " + columns + " FROM sigil_refresh_token WHERE token_hash = ?");
            PreparedStatement lock = c.prepareStatement("SELECT id FROM sigil_user WHERE id = ? FOR UPDATE");
            PreparedStatement byId = c.prepareStatement("SELECT " + columns + " FROM sigil_refresh_token WHERE id = ?");
            PreparedStatement spend = c.prepareStatement("UPDATE sigil_refresh_token SET used_at = ? WHERE id = ? "
                    + "AND used_at IS NULL AND revoked_at IS NULL");
            PreparedStatement account = c.prepareStatement("SELECT id, created_at, email, enabled, password_hash FROM sigil_user WHERE id = ?");
            PreparedStatement groups = c.prepareStatement("SELECT group_name FROM sigil_user_group WHERE user_id = ?");
            String family = UUID.randomUUID().toString();
            String hash = hash();
            String id = UUID.randomUUID().toString();
            insert(insert, id, hash, family, user);
            c.commit();
            long start = System.nanoTime();
            long count = 0;
            while (!stop.get()) {
                query(byHash, hash);
                if (rowLock) {
                    query(lock, user);
                }
                query(byId, id);
                spend.setObject(1, OffsetDateTime.now());
                spend.setString(2, id);
                if (spend.executeUpdate() != 1) {
                    throw new IllegalStateException("token spent twice");
                }
                query(account, user);
                query(groups, user);
                hash = hash();
                id = UUID.randomUUID().toString();
                insert(insert, id, hash, family, user);
                c.commit();
                if (group != null) {
                    group.awaitWritten(c);
                }
                done.incrementAndGet();
                if (rate > 0) { // this thread's share of the rate
                    long wait = start + (long) (++count * 1e9 * THREADS / rate) - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        }
    }

    /**
     * Commits written to the file in groups: each committed transaction takes a ticket; one
     * thread at a time runs CHECKPOINT (MVStore.commit: everything committed so far goes to
     * the file) for every ticket taken before it started, the others wait for it. With a gather
     * time, the thread that is to write first waits that long, so that more commits join its write.
     */
    static final class GroupCommit {
        private final long gatherMicros;
        private long taken;
        private long written;
        private boolean writing;

        GroupCommit(long gatherMicros) {
            this.gatherMicros = gatherMicros;
        }

        void awaitWritten(Connection c) throws Exception {
            long ticket;
            long upTo;
            synchronized (this) {
                ticket = ++taken;
                while (true) {
                    if (written >= ticket) {
                        return;
                    }
                    if (!writing) {
                        writing = true;
                        break;
                    }
                    wait();
                }
            }
            boolean ok = false;
            upTo = 0;
            try (Statement s = c.createStatement()) {
                if (gatherMicros > 0) {
                    Thread.sleep(gatherMicros / 1000, (int) (gatherMicros % 1000) * 1000);
                }
                synchronized (this) {
                    upTo = taken;
                }
                s.execute("CHECKPOINT");
                ok = true;
            } finally {
                synchronized (this) {
                    if (ok) {
                        written = Math.max(written, upTo);
                    }
                    writing = false;
                    notifyAll();
                }
            }
        }
    }

    /**
     * Sets the keys at which the store splits a page (H2 reads MVStore's final field at every
     * split; no URL setting reaches it in 2.2.224).
     */
    static void keysPerPage(Connection c, int keys) throws Exception {
        org.h2.engine.SessionLocal session = (org.h2.engine.SessionLocal) ((org.h2.jdbc.JdbcConnection) c).getSession();
        org.h2.mvstore.MVStore store = session.getDatabase().getStore().getMvStore();
        java.lang.reflect.Field field = org.h2.mvstore.MVStore.class.getDeclaredField("keysPerPage");
        field.setAccessible(true);
        field.setInt(store, keys);
        if (store.getKeysPerPage() != keys) {
            throw new IllegalStateException("keysPerPage not set");
        }
    }

    static void query(PreparedStatement statement, String value) throws SQLException {
        statement.setString(1, value);
        statement.executeQuery().close();
    }

    static void insert(PreparedStatement insert, String id, String hash, String family, String user) throws SQLException {
        OffsetDateTime now = OffsetDateTime.now();
        insert.setString(1, id);
        insert.setString(2, hash);
        insert.setString(3, family);
        insert.setString(4, user);
        insert.setObject(5, now);
        insert.setObject(6, now.plusDays(1));
        insert.executeUpdate();
    }

    static String hash() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long written() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IllegalStateException("no wchar in /proc/self/io");
    }
}
