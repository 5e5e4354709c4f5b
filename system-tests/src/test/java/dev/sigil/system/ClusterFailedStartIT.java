package dev.sigil.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A {@code scripts/cluster.sh start} that fails half-way stops what it started: here the port of
 * the last instance, business-2, is taken by another program, which the script finds only after
 * PostgreSQL, auth-1 (ready), auth-2, nginx and business-1 are up. A cluster of its own
 * (directories, ports, a PostgreSQL on a port of its own), so {@code ClusterIT}'s is untouched.
 */
class ClusterFailedStartIT {

    static final Path ROOT =
            Path.of(System.getProperty("sigil.root", "..")).toAbsolutePath().normalize();

    @Test
    void aStartThatFailsHalfWayLeavesNothingItStartedRunning() throws Exception {
        Path dir = Files.createTempDirectory(ROOT.resolve("system-tests/target"), "cluster-failed-start-");
        // PostgreSQL runs as its own user, which may not enter the checkout's directories
        Path pg = Path.of("/tmp", "sigil-pg-failed-start-" + UUID.randomUUID());
        int port = ClusterIT.freeRange(7);
        Map<String, String> environment = Map.of(
                "CLUSTER_DIR", dir.resolve("cluster").toString(),
                "CLUSTER_SECRETS_DIR", dir.resolve("secrets").toString(),
                "CLUSTER_PORT", Integer.toString(port),
                "CLUSTER_HZ_PORT", Integer.toString(port + 5),
                "PG_PORT", Integer.toString(ClusterIT.freeRange(1)),
                "PG_DIR", pg.toString());
        try (ServerSocket squatter = new ServerSocket(port + 4, 50, InetAddress.getLoopbackAddress())) {
            Result start = cluster(environment, "start");
            assertNotEquals(0, start.status(), start.output());
            assertTrue(start.output().contains("port " + (port + 4) + ", business-2's, is taken"), start.output());
            assertTrue(start.output().contains("auth-1 ready"), "the failure came after a start: " + start.output());
            assertTrue(start.output().contains("the start failed; stopping what it started"), start.output());

            // nginx is told to quit and goes on its own: give it a few seconds
            List<String> left = runningUnder(dir.resolve("cluster"), pg);
            for (int i = 0; i < 50 && !left.isEmpty(); i++) {
                Thread.sleep(200);
                left = runningUnder(dir.resolve("cluster"), pg);
            }
            assertEquals(List.of(), left, "processes of the failed start still running");
            assertNotEquals(0, postgres(environment, "status").status(), "PostgreSQL, which it started, is stopped");
            squatter.setSoTimeout(5000);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port + 4)) {
                // the script's own probes of the port wait in the backlog before this connection
                boolean reached = false;
                for (int i = 0; i < 10 && !reached; i++) {
                    try (Socket accepted = squatter.accept()) {
                        reached = accepted.getPort() == client.getLocalPort();
                    }
                }
                assertTrue(reached, "the other program still takes its port's connections");
            }
        } finally {
            cluster(environment, "stop");
            postgres(environment, "stop", "--drop");
        }
    }

    /** The command lines of the processes that name one of the directories. */
    static List<String> runningUnder(Path... dirs) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .map(process -> process.info().commandLine().orElse(""))
                .filter(command -> Stream.of(dirs).anyMatch(dir -> command.contains(dir.toString())))
                .toList();
    }

    record Result(int status, String output) {}

    static Result cluster(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return script("cluster.sh", environment, args);
    }

    static Result postgres(Map<String, String> environment, String... args) throws IOException, InterruptedException {
        return script("postgres.sh", environment, args);
    }

    static Result script(String name, Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("bash", ROOT.resolve("scripts").resolve(name).toString()));
        command.addAll(List.of(args));
        Path output = Files.createTempFile(ROOT.resolve("system-tests/target"), name, ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 6 minutes");
        }
        return new Result(process.exitValue(), Files.readString(output));
    }
}
