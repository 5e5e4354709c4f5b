import java.nio.file.*;
import java.sql.*;

/**
 * Whether HSQLDB keeps what it committed when its process dies at once (a {@code kill -9}):
 * each variant's child process commits 100 rows one transaction at a time, then halts without
 * closing anything ({@code Runtime.halt}); the parent opens the database again and counts them.
 * A write delay only postpones the sync to the disk in HSQLDB's documentation; this shows
 * whether the log reaches the file at commit at all.
 *
 *   curl -o /tmp/hsqldb.jar https://repo1.maven.org/maven2/org/hsqldb/hsqldb/2.7.4/hsqldb-2.7.4.jar
 *   java -cp /tmp/hsqldb.jar bench/h2/HsqldbHalt.java [directory, /tmp/hsqldb-halt]
 */
public class HsqldbHalt {
    static final int ROWS = 100;

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child")) {
            commitAndHalt(args[1]);
            return;
        }
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/hsqldb-halt");
        String[] settings = {"hsqldb.write_delay=false", "hsqldb.write_delay_millis=500"};
        System.out.println("| setting | rows committed | rows found after the halt |");
        System.out.println("|---------|---------------:|--------------------------:|");
        int n = 0;
        for (String setting : settings) {
            String url = "jdbc:hsqldb:file:" + dir.resolve("db" + n++) + "/d;hsqldb.tx=mvcc;hsqldb.default_table_type=cached;" + setting;
            Process child = new ProcessBuilder(
                            ProcessHandle.current().info().command().orElse("java"),
                            "-cp", System.getProperty("java.class.path"),
                            "bench/h2/HsqldbHalt.java", "child", url)
                    .inheritIO()
                    .start();
            child.waitFor();
            try (Connection c = openWhenUnlocked(url)) {
                String found;
                try {
                    ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM t");
                    rs.next();
                    found = Integer.toString(rs.getInt(1));
                } catch (SQLException noTable) {
                    found = "0 (nor the table)";
                }
                System.out.printf("| %s | %d | %s |%n", setting, ROWS, found);
                c.createStatement().execute("SHUTDOWN");
            }
        }
    }

    /** The halted process's lock file stands until its heartbeat is old enough: retried for up to 30 s. */
    static Connection openWhenUnlocked(String url) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                return DriverManager.getConnection(url, "SA", "");
            } catch (SQLException locked) {
                if (attempt == 30) {
                    throw locked;
                }
                Thread.sleep(1000);
            }
        }
    }

    static void commitAndHalt(String url) throws SQLException {
        Connection c = DriverManager.getConnection(url, "SA", "");
        c.createStatement().execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(100))");
        c.setAutoCommit(false);
        PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?)");
        for (int i = 0; i < ROWS; i++) {
            insert.setInt(1, i);
            insert.setString(2, "row " + i);
            insert.executeUpdate();
            c.commit();
        }
        Runtime.getRuntime().halt(0);
    }
}
