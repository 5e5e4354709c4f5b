import java.lang.management.ManagementFactory;
import java.nio.file.*;
import java.sql.*;
import java.time.OffsetDateTime;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/**
 * What a commit written at once costs on H2 and on HSQLDB, an embedded engine with a log:
 * auth's refresh transaction (the statements of {@code H2Commits.chain}, repeated here so that
 * each file runs alone with {@code java}: find the token by hash, lock the user's
 * row, re-read the token, mark it used, read the account and groups, insert the successor) on
 * auth's token table and indexes, 8 threads with a user each, a fresh file database with
 * 20,000 tokens per variant, after a warm-up pass, in passes whose order reverses. Per variant:
 * transactions a second, process CPU time and bytes written (/proc/self/io) per transaction.
 * HSQLDB's tables are CACHED (on disk, like H2's), its transactions MVCC; with
 * {@code hsqldb.write_delay=false} HSQLDB writes its log and syncs it to the disk at every
 * commit, which covers a power loss too; H2 at commit writes its chunk without a sync.
 *
 *   unzip -p target/payara-micro.jar MICRO-INF/runtime/h2.jar > /tmp/h2.jar
 *   curl -o /tmp/hsqldb.jar https://repo1.maven.org/maven2/org/hsqldb/hsqldb/2.7.4/hsqldb-2.7.4.jar
 *   java -cp /tmp/h2.jar:/tmp/hsqldb.jar bench/h2/EngineCommits.java [seconds, 5] [passes, 2] [directory, /tmp/engine-commits]
 */
public class EngineCommits {
    static final int THREADS = 8;

    record Variant(String name, String url, boolean hsqldb) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path dir = Path.of(args.length > 2 ? args[2] : "/tmp/engine-commits");
        List<Variant> variants = List.of(
                new Variant("H2 written later (WRITE_DELAY=500)", "jdbc:h2:" + dir + "/h2;WRITE_DELAY=500", false),
                new Variant("H2 at commit (WRITE_DELAY=0)", "jdbc:h2:" + dir + "/h2;WRITE_DELAY=0", false),
                new Variant(
                        "HSQLDB log written later (write_delay 500 ms)",
                        "jdbc:hsqldb:file:" + dir + "/hs;hsqldb.tx=mvcc;hsqldb.write_delay_millis=500",
                        true),
                new Variant(
                        "HSQLDB log written and synced at commit (write_delay=false)",
                        "jdbc:hsqldb:file:" + dir + "/hs;hsqldb.tx=mvcc;hsqldb.write_delay=false",
                        true));
        for (Variant v : variants) { // warm-up: the JIT compiles what every variant runs
            run(v, dir, 3, false);
        }
        System.out.println("| variant | tx/s | CPU µs per tx | KB written per tx |");
        System.out.println("|---------|-----:|--------------:|------------------:|");
        for (int p = 0; p < passes; p++) {
            List<Variant> order = new ArrayList<>(variants);
            if (p % 2 == 1) {
                Collections.reverse(order);
            }
            for (Variant v : order) {
                run(v, dir, seconds, true);
            }
        }
    }

    /** Removes the previous variant's database files. */
    static void wipe(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }

    static void run(Variant v, Path dir, int seconds, boolean print) throws Exception {
        wipe(dir);
        String user0 = v.hsqldb ? "SA" : "";
        String[] users = new String[THREADS];
        try (Connection c = DriverManager.getConnection(v.url, user0, "")) {
            Statement s = c.createStatement();
            String t = v.hsqldb ? "CREATE CACHED TABLE" : "CREATE TABLE";
            s.execute(
                    t
                            + " sigil_user (id VARCHAR(36) NOT NULL, email VARCHAR(254) NOT NULL, password_hash VARCHAR(512) NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, enabled BOOLEAN NOT NULL, CONSTRAINT pk_sigil_user PRIMARY KEY (id), CONSTRAINT uk_user_email UNIQUE (email))");
            s.execute(
                    t
                            + " sigil_user_group (user_id VARCHAR(36) NOT NULL, group_name VARCHAR(64) NOT NULL, PRIMARY KEY (user_id, group_name))");
            s.execute(
                    t
                            + " sigil_refresh_token (id VARCHAR(36) NOT NULL, token_hash VARCHAR(64) NOT NULL, family_id VARCHAR(36) NOT NULL, user_id VARCHAR(36) NOT NULL, created_at TIMESTAMP WITH TIME ZONE NOT NULL, expires_at TIMESTAMP WITH TIME ZONE NOT NULL, used_at TIMESTAMP WITH TIME ZONE, revoked_at TIMESTAMP WITH TIME ZONE, CONSTRAINT pk_sigil_refresh_token PRIMARY KEY (id))");
            s.execute("CREATE UNIQUE INDEX sigil_refresh_token_hash ON sigil_refresh_token (token_hash)");
            s.execute("CREATE INDEX sigil_refresh_token_family ON sigil_refresh_token (family_id)");
            s.execute("CREATE INDEX sigil_refresh_token_user ON sigil_refresh_token (user_id)");
            s.execute("CREATE INDEX sigil_refresh_token_expires ON sigil_refresh_token (expires_at)");
            s.execute("CREATE INDEX sigil_refresh_token_revoked ON sigil_refresh_token (revoked_at)");
            PreparedStatement user =
                    c.prepareStatement("INSERT INTO sigil_user VALUES (?, ?, ?, CURRENT_TIMESTAMP, TRUE)");
            for (int i = 0; i < 200 + THREADS; i++) {
                String id = UUID.randomUUID().toString();
                if (i >= 200) {
                    users[i - 200] = id;
                }
                user.setString(1, id);
                user.setString(2, "user" + i + "@example.com");
                user.setString(3, "x".repeat(120));
                user.executeUpdate();
            }
            c.setAutoCommit(false);
            PreparedStatement token = c.prepareStatement(
                    "INSERT INTO sigil_refresh_token (id, token_hash, family_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)");
            for (int i = 0; i < 20000; i++) {
                token.setString(1, UUID.randomUUID().toString());
                token.setString(2, hash());
                token.setString(3, UUID.randomUUID().toString());
                token.setString(4, users[0]);
                token.setObject(5, OffsetDateTime.now());
                token.setObject(6, OffsetDateTime.now().plusDays(1));
                token.addBatch();
                if (i % 1000 == 999) {
                    token.executeBatch();
                    c.commit();
                }
            }
            c.commit();
        }
        AtomicLong done = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> chains = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String u = users[t];
            chains.add(threads.submit(() -> {
                chain(v.url, user0, u, done, stop);
                return null;
            }));
        }
        Thread.sleep(2000);
        long count = done.get(), nanos = System.nanoTime(), cpu = cpu(), written = written();
        Thread.sleep(seconds * 1000L);
        long n = done.get() - count,
                elapsed = System.nanoTime() - nanos,
                cpuUsed = cpu() - cpu,
                bytes = written() - written;
        stop.set(true);
        for (Future<?> f : chains) {
            f.get();
        }
        threads.shutdown();
        try (Connection c = DriverManager.getConnection(v.url, user0, "")) {
            c.createStatement().execute("SHUTDOWN");
        }
        if (print)
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %,.0f | %,.0f | %.1f |%n",
                    v.name,
                    n * 1e9 / elapsed,
                    cpuUsed / 1e3 / n,
                    bytes / 1024.0 / n);
    }

    static void chain(String url, String user0, String user, AtomicLong done, AtomicBoolean stop) throws Exception {
        String columns = "id, created_at, expires_at, family_id, revoked_at, token_hash, used_at, user_id";
        try (Connection c = DriverManager.getConnection(url, user0, "")) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO sigil_refresh_token (id, token_hash, family_id, user_id, created_at, expires_at, used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)");
            PreparedStatement byHash =
                    c.prepareStatement("SELECT " + columns + " FROM sigil_refresh_token WHERE token_hash = ?");
            PreparedStatement lock = c.prepareStatement("SELECT id FROM sigil_user WHERE id = ? FOR UPDATE");
            PreparedStatement byId = c.prepareStatement("SELECT " + columns + " FROM sigil_refresh_token WHERE id = ?");
            PreparedStatement spend = c.prepareStatement(
                    "UPDATE sigil_refresh_token SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL");
            PreparedStatement account = c.prepareStatement(
                    "SELECT id, created_at, email, enabled, password_hash FROM sigil_user WHERE id = ?");
            PreparedStatement groups = c.prepareStatement("SELECT group_name FROM sigil_user_group WHERE user_id = ?");
            String family = UUID.randomUUID().toString(),
                    hash = hash(),
                    id = UUID.randomUUID().toString();
            insert(insert, id, hash, family, user);
            c.commit();
            while (!stop.get()) {
                query(byHash, hash);
                query(lock, user);
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
                done.incrementAndGet();
            }
        }
    }

    static void insert(PreparedStatement insert, String id, String hash, String family, String user)
            throws SQLException {
        insert.setString(1, id);
        insert.setString(2, hash);
        insert.setString(3, family);
        insert.setString(4, user);
        insert.setObject(5, OffsetDateTime.now());
        insert.setObject(6, OffsetDateTime.now().plusDays(1));
        insert.executeUpdate();
    }

    static void query(PreparedStatement q, String p) throws SQLException {
        q.setString(1, p);
        try (ResultSet r = q.executeQuery()) {
            while (r.next()) {}
        }
    }

    static String hash() {
        return (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    static long written() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("write_bytes:")) {
                return Long.parseLong(line.substring(12).trim());
            }
        }
        return 0;
    }
}
