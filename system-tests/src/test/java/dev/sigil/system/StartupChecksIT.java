package dev.sigil.system;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.credentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Auth refuses to start on an unsafe configuration, and says why: {@code run.sh start auth}
 * fails within seconds, prints the cause from auth's log and leaves no auth process behind, so
 * nothing half-started answers. Only auth runs here, but for one start of both; all cases share
 * one data directory, with one account registered before the first refusal.
 */
class StartupChecksIT {

    /** Far below run.sh's default, so a start that hangs instead of failing fails the test quickly. */
    static final String START_TIMEOUT = "60";

    static final String SQUATTER = "squatter@example.com";
    static final String SQUATTER_PASSWORD = "the squatter's own password";

    final HttpJson auth = new HttpJson(Sigil.AUTH);

    @BeforeAll
    static void registerAnAccount() throws IOException {
        Sigil.stopAll();
        Sigil.wipe();
        Sigil.startOnly("auth", Map.of("START_TIMEOUT", START_TIMEOUT));
        Reply registered = new HttpJson(Sigil.AUTH).post("/users", credentials(SQUATTER, SQUATTER_PASSWORD));
        assertEquals(201, registered.status(), registered::toString);
        Sigil.stop("auth");
    }

    @AfterAll
    static void stop() {
        Sigil.stopAll();
    }

    @Test
    void anAdministratorPasswordOutsideThePasswordPolicyStopsTheStart() {
        String printed = refused(Map.of("AUTH_ADMIN_PASSWORD", "short"));
        assertTrue(printed.contains("auth.admin.password breaks the password policy"), printed);
    }

    /** Counts that must be the cluster's, on a server without the data grid (run.sh's --nohazelcast). */
    @Test
    void sharedLoginFailureCountsWithoutADataGridStopTheStart() {
        String printed = refused(Map.of("AUTH_THROTTLE_SHARED", "true"));
        assertTrue(printed.contains("auth.throttle.shared is true, but this server has no usable data grid"), printed);
    }

    @Test
    void aKeyEncryptionSecretOfFewerThan32BytesStopsTheStart() {
        String printed = refused(Map.of("AUTH_KEYS_ENCRYPTION_SECRET", "only twenty-six bytes long"));
        assertTrue(printed.contains("has 26 bytes; at least 32 are required"), printed);
    }

    /**
     * An issuer ending in a slash would double it in every endpoint discovery names. A start of
     * both that auth refuses also stops business, which was booting meanwhile: a failed start
     * leaves nothing of its own running.
     */
    @Test
    void anIssuerEndingInASlashStopsTheStartOfBothServices() {
        String issuer = Sigil.AUTH + "/";
        String printed = Sigil.refusedStart(Map.of("AUTH_TOKEN_ISSUER", issuer, "START_TIMEOUT", START_TIMEOUT));
        assertTrue(printed.contains("auth.token.issuer (" + issuer + ") must not end with a slash"), printed);
        assertTrue(printed.contains("Stopping business"), printed);
        assertFalse(Sigil.running("auth"), "no auth process is left after a refused start");
        assertFalse(Sigil.running("business"), "no business process is left after a refused start");
        assertFalse(listening(Sigil.BUSINESS_PORT), "nothing answers on business's port after a refused start");
    }

    /**
     * A start ended by a signal (a service manager's TERM, Ctrl-C), while both services are
     * booting, stops both: the script exits non-zero and nothing of it keeps running.
     */
    @Test
    void aStartEndedByASignalStopsWhatItStarted() throws Exception {
        Process start = Sigil.starting(Map.of("START_TIMEOUT", START_TIMEOUT));
        Instant deadline = Instant.now().plusSeconds(60);
        while (!(Sigil.running("auth") && Sigil.running("business"))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertTrue(Sigil.running("auth") && Sigil.running("business"), "both were started");
        start.destroy(); // SIGTERM to the script
        assertTrue(start.waitFor(90, TimeUnit.SECONDS), "the script ends");
        assertNotEquals(0, start.exitValue());
        assertFalse(Sigil.running("auth"), "no auth process is left");
        assertFalse(Sigil.running("business"), "no business process is left");
    }

    /**
     * {@code ./run.sh | tee log} and Ctrl-C: the same Ctrl-C ends {@code tee}, so the script's
     * output goes nowhere while it stops the services, and an impatient second Ctrl-C follows.
     * Here its output's pipe is closed and it gets TERM twice: it still stops both and exits
     * with 130. Before, its first word to the closed pipe killed it and both kept running. While
     * it starts them, a second start is refused instead of launching a second process on the
     * same root directory; while they run, {@code run.sh status} through a link to the data
     * directory finds them.
     */
    @Test
    void aRunWhoseOutputIsGoneAndThatIsSignalledTwiceStillStopsBoth() throws Exception {
        Process run = Sigil.inForeground(Map.of("START_TIMEOUT", START_TIMEOUT));
        Instant launched = Instant.now().plusSeconds(60);
        while (!Sigil.running("auth") && Instant.now().isBefore(launched)) {
            Thread.sleep(50);
        }
        String second = Sigil.refusedStart(Map.of("START_TIMEOUT", START_TIMEOUT));
        assertTrue(second.contains("another run.sh is starting Sigil with the data in"), second);
        BufferedReader output = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8));
        String line;
        boolean ready = false;
        while (!ready && (line = output.readLine()) != null) {
            ready = line.startsWith("Press Ctrl-C");
        }
        assertTrue(ready, "run.sh said both are running");
        assertTrue(Sigil.running("auth") && Sigil.running("business"), "both were started");

        Path link = Files.createTempDirectory("sigil-link").resolve("data");
        Files.createSymbolicLink(link, Sigil.dataDir());
        String status = Sigil.status(Map.of("DATA_DIR", link.toString()));
        assertTrue(status.contains("auth: running") && status.contains("business: running"), status);
        assertTrue(Sigil.running("auth") && Sigil.running("business"), "their pid files were kept");

        long authPid = Sigil.pid("auth");
        long businessPid = Sigil.pid("business");
        output.close();
        run.destroy(); // SIGTERM, and another one while it stops
        Thread.sleep(300);
        run.destroy();
        assertTrue(run.waitFor(90, TimeUnit.SECONDS), "the script ends");
        assertEquals(130, run.exitValue());
        assertFalse(ProcessHandle.of(authPid).map(ProcessHandle::isAlive).orElse(false), "no auth process is left");
        assertFalse(
                ProcessHandle.of(businessPid).map(ProcessHandle::isAlive).orElse(false), "no business process is left");
    }

    /**
     * {@code BIND_ADDRESS} naming one of the machine's addresses: auth listens there and not on
     * loopback, and {@code run.sh} waits for it there (the URLs it uses name that address).
     */
    @Test
    void aServiceListensOnTheAddressBindAddressNames() throws Exception {
        String address = Loopback.external().stream()
                .filter(Inet4Address.class::isInstance)
                .map(InetAddress::getHostAddress)
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(address != null, "this machine has no IPv4 address but loopback");
        Sigil.startOnly("auth", Map.of("BIND_ADDRESS", address, "START_TIMEOUT", START_TIMEOUT));
        try {
            Reply jwks =
                    new HttpJson("http://" + address + ":" + Sigil.AUTH_PORT + "/auth").get("/.well-known/jwks.json");
            assertEquals(200, jwks.status(), jwks::toString);
            assertFalse(listening(Sigil.AUTH_PORT), "nothing answers on loopback");
        } finally {
            Sigil.stop("auth");
        }
    }

    /**
     * Naming someone else's account as the administrator, with a password that is not theirs,
     * stops the start before promoting it: after a normal start, it is still an ordinary account.
     */
    @Test
    void anExistingAccountWithAnotherPasswordIsNotPromotedAndStopsTheStart() {
        String printed =
                refused(Map.of("AUTH_ADMIN_EMAIL", SQUATTER, "AUTH_ADMIN_PASSWORD", "what the operator configured"));
        assertTrue(
                printed.contains("exists with another password than auth.admin.password, so it is not promoted"),
                printed);

        Sigil.startOnly("auth", Map.of("START_TIMEOUT", START_TIMEOUT));
        try {
            String admin = login(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD);
            Reply users = auth.get("/admin/users?size=100", bearer(admin));
            assertEquals(200, users.status(), users::toString);
            JsonObject squatter = users.json().getJsonArray("users").getValuesAs(JsonObject.class).stream()
                    .filter(user -> user.getString("email").equals(SQUATTER))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no " + SQUATTER + " in " + users.body()));
            assertFalse(
                    squatter.getJsonArray("groups").getValuesAs(JsonString.class).stream()
                            .anyMatch(group -> group.getString().equals("admin")),
                    squatter::toString);
            assertEquals(
                    403,
                    auth.get("/admin/users", bearer(login(SQUATTER, SQUATTER_PASSWORD)))
                            .status(),
                    "the squatter has no admin power");
        } finally {
            Sigil.stop("auth");
        }
    }

    /**
     * Starts auth with {@code environment} on top of the usual settings, expecting a refusal well
     * under a minute, and checks nothing of auth is left running: the printed output is returned.
     */
    String refused(Map<String, String> environment) {
        Map<String, String> withTimeout = new HashMap<>(environment);
        withTimeout.put("START_TIMEOUT", START_TIMEOUT);
        Instant start = Instant.now();
        String printed = Sigil.refusedStart("auth", withTimeout);
        Duration took = Duration.between(start, Instant.now());
        assertTrue(took.compareTo(Duration.ofSeconds(50)) < 0, "the refusal took " + took + ":\n" + printed);
        assertTrue(printed.contains("auth failed to start"), printed);
        assertFalse(Sigil.running("auth"), "no auth process is left after a refused start");
        assertFalse(listening(Sigil.AUTH_PORT), "nothing answers on auth's port after a refused start");
        return printed;
    }

    String login(String email, String password) {
        Reply login = auth.post("/login", credentials(email, password, "auth"));
        assertEquals(200, login.status(), login::toString);
        return login.json().getString("access_token");
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
