package dev.sigil.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The deployed WAR's database, opened from the test as an operator or another auth instance
 * would: a change made here fires none of the WAR's events (no revocation), so a test can show
 * what the WAR does when only the database says so.
 * <p>
 * On PostgreSQL (failsafe execution "postgresql") the connection settings are read from the
 * post-boot file {@code scripts/postgres.sh} filled in. On H2, the server is Payara Micro's own
 * embedded database, in auto-server mode, under a root directory Payara Micro makes up: it is
 * found as the database file the server process (a child of this JVM) holds open (Linux).
 */
final class AuthDatabase {

    private static final String H2_FILE = "/lib/databases/embedded_default.mv.db";
    private static final Pattern POOL =
            Pattern.compile("serverName=([^:]+):portNumber=(\\d+):databaseName=([^:]+):user=([^:]+):");
    private static final Pattern PASSWORD = Pattern.compile("property\\.password=(\\S+)");

    private AuthDatabase() {}

    /** Runs one update in its own transaction: the number of rows it changed. */
    static int update(String sql, String... parameters) {
        try (Connection db = open();
                PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Runs one update in a transaction kept open for {@code held}, as another instance's
     * transaction that still holds the rows it changed: the number of rows it changed.
     */
    static int updateHolding(Duration held, String sql, String... parameters) {
        try (Connection db = open()) {
            db.setAutoCommit(false);
            int changed;
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                changed = statement.executeUpdate();
            }
            Thread.sleep(held.toMillis());
            db.commit();
            return changed;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs one query whose answer is a single number, such as a count. */
    static long number(String sql, String... parameters) {
        try (Connection db = open();
                PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static Connection open() throws SQLException {
        String postBoot = System.getProperty("sigil.postgresql.post-boot");
        if ("PostgreSQL".equals(System.getProperty("sigil.database")) && postBoot != null) {
            try {
                String commands = Files.readString(Path.of(postBoot));
                Matcher pool = POOL.matcher(commands);
                Matcher password = PASSWORD.matcher(commands);
                if (!pool.find() || !password.find()) {
                    throw new IllegalStateException("no connection settings in " + postBoot);
                }
                return DriverManager.getConnection(
                        "jdbc:postgresql://" + pool.group(1) + ":" + pool.group(2) + "/" + pool.group(3),
                        pool.group(4),
                        password.group(1));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String file = ProcessHandle.current()
                .descendants()
                .map(AuthDatabase::openH2File)
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no Payara Micro child process holds " + H2_FILE));
        return DriverManager.getConnection(
                "jdbc:h2:" + file.substring(0, file.length() - ".mv.db".length()) + ";AUTO_SERVER=TRUE", "", "");
    }

    /** The embedded database file a process holds open, if any. */
    private static Optional<String> openH2File(ProcessHandle process) {
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", String.valueOf(process.pid()), "fd"))) {
            List<Path> all = descriptors.toList();
            for (Path descriptor : all) {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.endsWith(H2_FILE)) {
                        return Optional.of(target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while listed
                }
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException notReadable) {
            return Optional.empty();
        }
    }
}
