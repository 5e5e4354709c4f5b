package dev.sigil.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/postgres.sh} and {@code scripts/cluster.sh} refuse directories in a shared
 * {@code /tmp} that another user could have prepared: a symbolic link (to send the data and
 * passwords elsewhere) or a directory that is not theirs. They stop before starting anything, so
 * this class boots no server (PostgreSQL's programs must be installed: {@code ClusterIT} installs
 * them, as {@code postgres.sh start} does).
 */
class SharedHostScriptsIT {

    static final Path ROOT =
            Path.of(System.getProperty("sigil.root", "..")).toAbsolutePath().normalize();

    Path scratch;

    @BeforeEach
    void scratch() throws IOException {
        scratch = Files.createTempDirectory(Path.of("/tmp"), "sigil-shared-host-");
    }

    @AfterEach
    void clean() throws IOException, InterruptedException {
        run(List.of("rm", "-rf", scratch.toString()), Map.of());
    }

    @Test
    void postgresRefusesADataDirectoryThatIsASymbolicLink() throws Exception {
        Path target = Files.createDirectory(scratch.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(scratch.resolve("pg"), target);
        Result result = script("postgres.sh", Map.of("PG_DIR", link.toString(), "PG_PORT", "25999"), "start");
        assertNotEquals(0, result.status(), result.output());
        assertTrue(result.output().contains("is a symbolic link; refusing"), result.output());
        assertEquals(List.of(), list(target), "nothing was written through the link");
    }

    @Test
    void postgresRefusesADataDirectoryOfAnotherUser() throws Exception {
        Path foreign = Files.createDirectory(scratch.resolve("pg"));
        assertEquals(
                0, run(List.of("chown", "nobody", foreign.toString()), Map.of()).status());
        Result result = script("postgres.sh", Map.of("PG_DIR", foreign.toString(), "PG_PORT", "25999"), "start");
        assertNotEquals(0, result.status(), result.output());
        assertTrue(result.output().contains("belongs to nobody"), result.output());
        assertEquals(List.of(), list(foreign));
    }

    @Test
    void postgresRefusesAPasswordFileThatIsASymbolicLink() throws Exception {
        // a password file swapped for a link would make the script write the secret elsewhere
        Path secrets = Files.createDirectories(scratch.resolve("pg/secrets"));
        Path target = scratch.resolve("stolen");
        Files.createSymbolicLink(secrets.resolve("sigil_auth.password"), target);
        Result result =
                script("postgres.sh", Map.of("PG_DIR", scratch.resolve("pg").toString(), "PG_PORT", "25999"), "env");
        assertNotEquals(0, result.status(), result.output());
        assertTrue(result.output().contains("is a symbolic link; refusing"), result.output());
        assertFalse(Files.exists(target));
    }

    /**
     * The PostgreSQL server gets none of its caller's environment: cluster.sh's caller holds
     * auth's secrets there, and as root the server runs as the postgres user, whose processes
     * could otherwise read them from the server's {@code /proc/<pid>/environ}.
     */
    @Test
    void thePostgresqlServerGetsNoneOfItsCallersSecrets() throws Exception {
        Path pg = Path.of("/tmp", "sigil-pg-environment-" + UUID.randomUUID());
        Map<String, String> environment = Map.of(
                "PG_DIR", pg.toString(),
                "PG_PORT", "25998",
                "AUTH_ADMIN_PASSWORD", "a-secret-of-the-caller",
                "AUTH_KEYS_ENCRYPTION_SECRET", "another-secret-of-the-caller");
        try {
            Result started = script("postgres.sh", environment, "start");
            assertEquals(0, started.status(), started.output());
            String pid =
                    Files.readAllLines(pg.resolve("data/postmaster.pid")).get(0).strip();
            String server = Files.readString(Path.of("/proc", pid, "environ"));
            assertTrue(server.contains("PATH="), "the server's environment as the kernel shows it: " + server);
            assertFalse(server.contains("secret-of-the-caller"), server);
            assertFalse(server.contains("AUTH_"), server);
        } finally {
            script("postgres.sh", environment, "stop");
            run(List.of("rm", "-rf", pg.toString()), Map.of());
        }
    }

    @Test
    void clusterRefusesAnInstanceDirectoryThatIsASymbolicLink() throws Exception {
        Path target = Files.createDirectory(scratch.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(scratch.resolve("cluster"), target);
        Result result = script(
                "cluster.sh",
                Map.of(
                        "CLUSTER_DIR",
                        link.toString(),
                        "CLUSTER_SECRETS_DIR",
                        scratch.resolve("secrets").toString(),
                        "PG_PORT",
                        "25999"),
                "start");
        assertNotEquals(0, result.status(), result.output());
        assertTrue(result.output().contains("is a symbolic link; refusing"), result.output());
        assertEquals(List.of(), list(target));
    }

    /**
     * A pid file that outlived its service (a reboot keeps the data directory, not the process)
     * may name another program by then: stopping must not signal it, and the service counts as
     * not running.
     */
    @Test
    void aPidFileNamingAnotherProgramIsNeitherSignalledNorTakenForTheService() throws Exception {
        Process other = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(scratch.resolve("auth.pid"), other.pid() + "\n");
            Map<String, String> environment = Map.of("DATA_DIR", scratch.toString());
            Result status = run(List.of("bash", ROOT.resolve("run.sh").toString(), "status"), environment);
            assertEquals(3, status.status(), "LSB's \"not running\": " + status.output());
            assertTrue(status.output().contains("auth: stopped"), status.output());
            assertFalse(status.output().contains(Long.toString(other.pid())), status.output());
            Files.writeString(scratch.resolve("auth.pid"), other.pid() + "\n");
            Result stop = run(List.of("bash", ROOT.resolve("run.sh").toString(), "stop", "auth"), environment);
            assertEquals(0, stop.status(), stop.output());
            assertTrue(
                    stop.output().contains("auth: not running under DATA_DIR=" + scratch.toRealPath()), stop.output());
            assertFalse(other.waitFor(1, TimeUnit.SECONDS), "the other program still runs: " + stop.output());
            assertFalse(Files.exists(scratch.resolve("auth.pid")), "the stale pid file is gone");
        } finally {
            other.destroyForcibly();
        }
    }

    record Result(int status, String output) {}

    static List<Path> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }

    static Result script(String name, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(
                List.of("bash", ROOT.resolve("scripts").resolve(name).toString()));
        command.addAll(List.of(args));
        return run(command, environment);
    }

    static Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        return new Result(process.exitValue(), output);
    }
}
