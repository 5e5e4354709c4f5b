package dev.sigil.system;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.keys.PbkdfKey;
import org.jose4j.lang.JoseException;

/**
 * Drives {@code run.sh} for the system tests: the services run as the two Payara Micro
 * processes users get, on free ports picked at random (so neither a running copy nor another
 * build on the same machine is disturbed), with data in the module's build directory.
 */
final class Sigil {

    static final int AUTH_PORT = freePort();
    static final int BUSINESS_PORT = freePort();
    static final String AUTH = "http://localhost:" + AUTH_PORT + "/auth";
    static final String BUSINESS = "http://localhost:" + BUSINESS_PORT + "/business";
    static final String ADMIN_EMAIL = "ops@example.com";
    static final String ADMIN_PASSWORD = "system-test-admin-password";
    static final long PUBLISH_LEAD_SECONDS = 5;

    private static final Path ROOT =
            Path.of(System.getProperty("sigil.root", "..")).toAbsolutePath().normalize();
    private static final Path DATA =
            Path.of(System.getProperty("sigil.data", "target/system-data")).toAbsolutePath();

    private Sigil() {}

    /** Starts whichever service is not running and returns once both answer. */
    static void start() {
        runSh(Map.of(), "start");
    }

    /** Starts whichever service is not running, with extra environment variables. */
    static void start(Map<String, String> environment) {
        runSh(environment, "start");
    }

    /** Starts one service alone, if it is not running. */
    static void startOnly(String service) {
        runSh(Map.of(), "start", service);
    }

    /** Starts one service alone with extra environment variables, if it is not running. */
    static void startOnly(String service, Map<String, String> environment) {
        runSh(environment, "start", service);
    }

    /**
     * Starts one service alone with extra environment variables and expects {@code run.sh} to
     * refuse: returns what it printed, or throws if the service started.
     */
    static String refusedStart(String service, Map<String, String> environment) {
        return refused(environment, "start", service);
    }

    /** The same for a start of both services. */
    static String refusedStart(Map<String, String> environment) {
        return refused(environment, "start");
    }

    private static String refused(Map<String, String> environment, String... args) {
        Run run = run(environment, args);
        if (run.exit() == 0) {
            throw new IllegalStateException(
                    "run.sh " + String.join(" ", args) + " succeeded; expected a refusal:\n" + run.output());
        }
        return run.output();
    }

    static void stop(String service) {
        runSh(Map.of(), "stop", service);
    }

    static void stopAll() {
        runSh(Map.of(), "stop");
    }

    /** Sends a signal to a running service: STOP freezes it (it accepts connections and never answers), CONT thaws it. */
    static void signal(String service, String signal) throws IOException, InterruptedException {
        String pid = Files.readString(DATA.resolve(service + ".pid")).trim();
        Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
        }
    }

    /** Whether a service's process, as named in its pid file, is alive. */
    static boolean running(String service) {
        try {
            return ProcessHandle.of(pid(service)).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException e) {
            return false;
        }
    }

    /** The process id of a running service, from its pid file. */
    static long pid(String service) throws IOException {
        return Long.parseLong(Files.readString(DATA.resolve(service + ".pid")).trim());
    }

    /**
     * Kills a service the way a crash does ({@code kill -9}: no shutdown hook, no flush) and
     * returns once it is gone. The signal comes from this JVM, without starting a process, so
     * it lands within a millisecond or so of the caller's last answer.
     */
    static void crash(String service) throws IOException, InterruptedException, ExecutionException, TimeoutException {
        ProcessHandle process = ProcessHandle.of(pid(service))
                .orElseThrow(() -> new IllegalStateException(service + " is not running"));
        if (!process.destroyForcibly()) {
            throw new IllegalStateException("could not kill " + service);
        }
        process.onExit().get(30, TimeUnit.SECONDS);
    }

    /** The WAR {@code run.sh} deploys for a service. */
    static Path war(String service) {
        return ROOT.resolve(service + "-war").resolve("target").resolve(service + ".war");
    }

    /** Where {@code run.sh} keeps everything: the services' root directories, logs and pid files. */
    static Path dataDir() {
        return DATA;
    }

    /** A service's Payara root directory (--rootdir), where its embedded database lives. */
    static Path data(String service) {
        return DATA.resolve(service);
    }

    /** The server configuration Payara Micro keeps in the service's root directory. */
    static String domainXml(String service) throws IOException {
        return Files.readString(data(service).resolve("config/domain.xml"));
    }

    /** Whether Payara's phone-home is switched off in that configuration. */
    static boolean phoneHomeOff(String service) throws IOException {
        return PHONE_HOME_OFF.matcher(domainXml(service)).find();
    }

    private static final Pattern PHONE_HOME_OFF =
            Pattern.compile("<phone-home-runtime-configuration[^>]*enabled=\"false\"");

    /** Where auth generates its key-encryption secret when none is configured: under its root directory. */
    static Path keySecretFile() {
        return data("auth").resolve("sigil").resolve("key-encryption.secret");
    }

    /**
     * The private part of auth's signing keys as stored, by kid. Read from its embedded database
     * while it runs (Payara's default H2 runs in auto-server mode, which lets another process on
     * the machine open it).
     */
    static Map<String, String> storedPrivateKeys() throws SQLException {
        Map<String, String> keys = new HashMap<>();
        try (Connection db = DriverManager.getConnection(
                        "jdbc:h2:" + data("auth") + "/lib/databases/embedded_default;AUTO_SERVER=TRUE", "", "");
                ResultSet rows = db.createStatement().executeQuery("select kid, private_jwk from sigil_signing_key")) {
            while (rows.next()) {
                keys.put(rows.getString(1), rows.getString(2));
            }
        }
        return keys;
    }

    /** A stored private key opened with the secret in {@link #keySecretFile()}: the private JWK. */
    static String opened(String sealed) throws IOException, JoseException {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmConstraints(new AlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.PBES2_HS512_A256KW));
        jwe.setCompactSerialization(sealed);
        jwe.setKey(new PbkdfKey(Files.readString(keySecretFile()).strip()));
        return jwe.getPayload();
    }

    /** A service's log as written so far. */
    static String log(String service) throws IOException {
        return Files.readString(DATA.resolve(service + ".log"));
    }

    /** A service's log once it holds {@code text}, or as it is after 5 s without it. */
    static String logOnceItHas(String service, String text) throws IOException, InterruptedException {
        String log = log(service);
        for (int wait = 0; wait < 50 && !log.contains(text); wait++) {
            Thread.sleep(100);
            log = log(service);
        }
        return log;
    }

    /** Removes all data: the next start is a first start. */
    static void wipe() throws IOException {
        if (Files.exists(DATA)) {
            try (Stream<Path> files = Files.walk(DATA)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(DATA);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of a service's log, to make a failure readable from the build output alone. */
    static String logTail(String service) {
        Path log = DATA.resolve(service + ".log");
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void runSh(Map<String, String> extra, String... args) {
        Run run = run(extra, args);
        if (run.exit() != 0) {
            throw new IllegalStateException("run.sh " + String.join(" ", args) + " failed; see "
                    + DATA.resolveSibling("run-sh.log") + " and the logs in " + DATA
                    + "\nauth.log:\n" + logTail("auth") + "\nbusiness.log:\n" + logTail("business"));
        }
    }

    /** What one run of {@code run.sh} printed (also appended to {@code run-sh.log}) and its exit status. */
    private record Run(int exit, String output) {}

    /** {@code run.sh start} of both services, not waited for: the running script, its output in {@code run-sh.last.log}. */
    static Process starting(Map<String, String> environment) throws IOException {
        return builder(environment, "start").start();
    }

    /** {@code run.sh} in the foreground (its run mode), its output on a pipe the caller reads and may close. */
    static Process inForeground(Map<String, String> environment) throws IOException {
        return builder(environment, "run")
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
    }

    /** What {@code run.sh status} prints with these settings on top of the test's. */
    static String status(Map<String, String> environment) {
        return run(environment, "status").output();
    }

    private static Run run(Map<String, String> extra, String... args) {
        try {
            Process process = builder(extra, args).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("run.sh " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            String printed = Files.readString(DATA.resolveSibling("run-sh.last.log"));
            Files.writeString(
                    DATA.resolveSibling("run-sh.log"), printed, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new Run(process.exitValue(), printed);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** run.sh with these arguments, the test's ports, data directory and settings, and {@code extra} on top. */
    private static ProcessBuilder builder(Map<String, String> extra, String... args) {
        String[] command = Stream.concat(
                        Stream.of("bash", ROOT.resolve("run.sh").toString()), Stream.of(args))
                .toArray(String[]::new);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(DATA.resolveSibling("run-sh.last.log").toFile());
        builder.environment()
                .putAll(Map.of(
                        "AUTH_PORT", Integer.toString(AUTH_PORT),
                        "BUSINESS_PORT", Integer.toString(BUSINESS_PORT),
                        "DATA_DIR", DATA.toString(),
                        "AUTH_ADMIN_EMAIL", ADMIN_EMAIL,
                        "AUTH_ADMIN_PASSWORD", ADMIN_PASSWORD,
                        // a rotation completes within seconds here instead of two minutes
                        "AUTH_KEYS_PUBLISH_LEAD_SECONDS", Long.toString(PUBLISH_LEAD_SECONDS),
                        "SIGIL_KEYS_REFRESH_SECONDS", "2"));
        builder.environment().putAll(extra);
        return builder;
    }
}
