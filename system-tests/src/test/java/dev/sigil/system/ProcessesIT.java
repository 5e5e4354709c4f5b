package dev.sigil.system;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static dev.sigil.testkit.TestUsers.credentials;
import static dev.sigil.testkit.TestUsers.email;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@code run.sh} promises about the two processes it starts: a service killed with
 * {@code kill -9} right after an answer has kept what it acknowledged, and business what it
 * refused as revoked; each service's environment holds its own settings and no other
 * service's secrets, and no secret is on a command line; everything under the data directory
 * is readable by its owner only.
 * <p>
 * Every start passes the same secrets (auth's key-encryption secret and both database
 * passwords, the latter unused on H2), so the environments have something to leak.
 */
class ProcessesIT {

    static final String NEW_PASSWORD = "a quite different passphrase";
    static final String KEYS_SECRET = "processes-it-keys-secret-" + UUID.randomUUID();
    static final String AUTH_DB_PASSWORD = "processes-it-auth-db-" + UUID.randomUUID();
    static final String BUSINESS_DB_PASSWORD = "processes-it-business-db-" + UUID.randomUUID();
    static final String UNRELATED = "processes-it-unrelated-" + UUID.randomUUID();
    static final Map<String, String> SECRETS = Map.of(
            "AUTH_KEYS_ENCRYPTION_SECRET", KEYS_SECRET,
            "AUTH_DB_PASSWORD", AUTH_DB_PASSWORD,
            "BUSINESS_DB_PASSWORD", BUSINESS_DB_PASSWORD,
            // a variable of neither service
            "OTHER_APP_TOKEN", UNRELATED,
            // business's validator setting, which would make auth refuse its own tokens
            "MP_JWT_VERIFY_AUDIENCES", "business");

    final HttpJson auth = new HttpJson(Sigil.AUTH);
    final HttpJson business = new HttpJson(Sigil.BUSINESS);

    @BeforeAll
    static void startFresh() throws IOException {
        Sigil.stopAll();
        Sigil.wipe();
        Sigil.start(SECRETS);
    }

    /** Its keys are sealed with a secret no other test class sets: the next class starts afresh. */
    @AfterAll
    static void stopAndWipe() throws IOException {
        Sigil.stopAll();
        Sigil.wipe();
    }

    // ---- nothing acknowledged is lost

    /**
     * Both services are killed with {@code kill -9} within a millisecond or so of their last
     * 2xx answer, and started again. The writes before each kill come one after another, the
     * quick ones last, so several of them were committed well inside the embedded database's
     * former half-second write delay.
     */
    @Test
    void aServiceKilledRightAfterItsAnswersHasKeptEverythingItAcknowledged() throws Exception {
        String alice = email("alice");
        String bob = email("bob");
        String carol = email("carol");
        assertStatus(201, auth.post("/users", credentials(alice, PASSWORD)));
        assertStatus(201, auth.post("/users", credentials(bob, PASSWORD)));
        JsonObject aliceSession = login(alice, PASSWORD);
        String aliceAccess = aliceSession.getString("access_token");
        String bobRefreshed = login(bob, PASSWORD).getString("refresh_token");
        String bobLoggedOut = login(bob, PASSWORD).getString("refresh_token");
        String admin = login(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD, "auth").getString("access_token");
        String aliceForAuth = login(alice, PASSWORD, "auth").getString("access_token");

        // business: two orders and a cancellation, then the kill
        String first = placeOrder(aliceAccess, "first");
        String second = placeOrder(aliceAccess, "second");
        assertStatus(200, business.send("DELETE", "/orders/" + first, null, bearer(aliceAccess)));
        Sigil.crash("business");

        // auth: a user, a session, a password change, a key, a refresh and a logout, then the kill
        assertStatus(201, auth.post("/users", credentials(carol, PASSWORD)));
        String carolRefresh = login(carol, PASSWORD).getString("refresh_token");
        assertStatus(
                204,
                auth.send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + NEW_PASSWORD + "\"}",
                        bearer(aliceForAuth)));
        Reply rotated = auth.post("/admin/keys/rotate?algorithm=ES256", "", bearer(admin));
        assertStatus(202, rotated);
        Reply refreshed = auth.post("/refresh", refresh(bobRefreshed));
        assertStatus(200, refreshed);
        assertStatus(204, auth.post("/logout", refresh(bobLoggedOut)));
        Sigil.crash("auth");

        Sigil.start(SECRETS);
        for (String service : List.of("auth", "business")) {
            assertEquals(1, deployments(service), service + " deployed its application once on the restart");
        }

        assertStatus(401, auth.post("/login", credentials(alice, PASSWORD)), "the old password is refused");
        Reply aliceAgain = auth.post("/login", credentials(alice, NEW_PASSWORD));
        assertStatus(200, aliceAgain, "the new password works");
        assertStatus(
                401,
                auth.post("/refresh", refresh(aliceSession.getString("refresh_token"))),
                "the password change ended alice's session");
        assertStatus(200, auth.post("/refresh", refresh(carolRefresh)), "carol's account and session are there");
        assertStatus(
                200,
                auth.post("/refresh", refresh(refreshed.json().getString("refresh_token"))),
                "the refresh token bob got last is there");
        assertStatus(401, auth.post("/refresh", refresh(bobLoggedOut)), "the logged-out session stays ended");
        Reply keys = auth.get(
                "/admin/keys",
                bearer(login(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD, "auth").getString("access_token")));
        assertStatus(200, keys);
        String kid = rotated.json().getString("kid");
        assertTrue(
                keys.json().getJsonArray("keys").stream()
                        .map(JsonValue::asJsonObject)
                        .anyMatch(key -> key.getString("kid").equals(kid)),
                "the rotated key is there: " + keys);

        assertTrue(
                refusedWithin(Duration.ofSeconds(5), aliceAccess),
                "the password change revoked alice's earlier access token, and business learns it after both restarts");
        Reply orders = business.get("/orders", bearer(aliceAgain.json().getString("access_token")));
        assertStatus(200, orders);
        Map<String, String> statuses = new HashMap<>();
        orders.json().getJsonArray("orders").stream()
                .map(JsonValue::asJsonObject)
                .forEach(order -> statuses.put(order.getString("id"), order.getString("status")));
        assertEquals(Map.of(first, "CANCELLED", second, "OPEN"), statuses, orders::toString);
    }

    /**
     * Business is killed right after it first refuses a token that a logout revoked (the push
     * brings it within milliseconds), then started again while auth is down: it refuses the
     * token still, from its copy on disk, accepts the user's other session, and is ready.
     */
    @Test
    void businessKilledRightAfterARevocationAndRestartedWhileAuthIsDownStillRefusesTheToken() throws Exception {
        String erin = email("erin");
        assertStatus(201, auth.post("/users", credentials(erin, PASSWORD)));
        JsonObject ended = login(erin, PASSWORD);
        String revoked = ended.getString("access_token");
        String kept = login(erin, PASSWORD).getString("access_token");
        assertStatus(200, business.get("/orders", bearer(revoked)));
        assertStatus(204, auth.post("/logout", refresh(ended.getString("refresh_token"))));
        assertTrue(refusedWithin(Duration.ofSeconds(5), revoked), "business learns the logout");
        Sigil.crash("business");
        Sigil.stop("auth");
        try {
            Sigil.startOnly("business", SECRETS);
            Reply stillRevoked = business.get("/orders", bearer(revoked));
            assertStatus(401, stillRevoked, "still revoked after the restart");
            assertEquals("Token revoked", stillRevoked.detail());
            assertStatus(200, business.get("/orders", bearer(kept)), "the other session");
            Reply ready = new HttpJson("http://localhost:" + Sigil.BUSINESS_PORT).get("/health/ready");
            assertStatus(200, ready, "ready with the keys and revocations of its copies");
        } finally {
            Sigil.start(SECRETS);
        }
    }

    /**
     * A root directory keeps the application deployed in it and Payara Micro loads it at every
     * start, so {@code run.sh} passes the WAR only when it is not that one: a restart deploys
     * once, and a new build (here: a root directory whose copy differs) replaces the old one,
     * also in one deployment, with the database kept.
     */
    @Test
    void aRestartDeploysTheApplicationOnceAndANewBuildReplacesTheOldOne() throws IOException {
        String user = email("dave");
        assertStatus(201, auth.post("/users", credentials(user, PASSWORD)));
        String order = placeOrder(login(user, PASSWORD).getString("access_token"), "kept");
        Sigil.stop("business");
        Sigil.startOnly("business", SECRETS);
        assertEquals(1, deployments("business"), Sigil.logTail("business"));
        assertFalse(Sigil.log("business").contains("successfully deployed in"), "the WAR was not passed again");

        Path copy = Sigil.data("business").resolve("applications/__internal/business/business.war");
        assertEquals(-1, Files.mismatch(copy, Sigil.war("business")), "the root directory holds the build's WAR");
        Files.write(copy, new byte[] {0}, StandardOpenOption.APPEND);
        Sigil.stop("business");
        // marks in what the old build leaves behind, which a new build must not start from
        Path domainXml = Sigil.data("business").resolve("config/domain.xml");
        Files.writeString(domainXml, "<!-- old build -->\n", StandardOpenOption.APPEND);
        Path generated = Sigil.data("business").resolve("generated/old-build");
        Files.createDirectories(generated.getParent());
        Files.writeString(generated, "old build");
        Sigil.startOnly("business", SECRETS);
        assertTrue(
                Sigil.log("business").contains("successfully deployed in"),
                "the WAR was passed: " + Sigil.logTail("business"));
        assertEquals(1, deployments("business"), "the old build was not loaded first: " + Sigil.logTail("business"));
        assertFalse(Sigil.domainXml("business").contains("<!-- old build -->"), "domain.xml was made anew");
        assertFalse(Files.exists(generated), "the old build's generated files are gone");
        assertTrue(
                Sigil.domainXml("business").contains("WRITE_DELAY=0"),
                "the pre-boot settings apply to the recreated domain.xml");
        assertTrue(Sigil.phoneHomeOff("business"), "phone-home stays off");
        assertEquals(-1, Files.mismatch(copy, Sigil.war("business")), "the root directory holds the build's WAR again");
        assertStatus(200, business.get("/status"));
        Reply orders = business.get("/orders", bearer(login(user, PASSWORD).getString("access_token")));
        assertStatus(200, orders);
        assertTrue(
                orders.json().getJsonArray("orders").stream()
                        .map(JsonValue::asJsonObject)
                        .anyMatch(listed -> listed.getString("id").equals(order)),
                "the order placed before the new build is there: " + orders);
    }

    /** How often the service's current log says an application was deployed, from its root directory or a WAR. */
    static int deployments(String service) throws IOException {
        String log = Sigil.log(service);
        int count = 0;
        for (String line : log.split("\n")) {
            if (line.contains("successfully deployed in") || line.matches(".*Loading application \\w+ done in.*")) {
                count++;
            }
        }
        return count;
    }

    /** Whether business refuses {@code token} as revoked within {@code limit}, asking every 50 ms. */
    boolean refusedWithin(Duration limit, String token) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            Reply reply = business.get("/orders", bearer(token));
            if (reply.status() == 401) {
                assertEquals("Token revoked", reply.detail(), "refused as revoked, not for another reason");
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * The settings behind the test above, read from each running service's database: each commit
     * written at once, and the upkeep that keeps the file small under that (H2Upkeep) running in
     * the service: it forces the file to the disk every 100 ms and so lowers H2's 45 s retention.
     */
    @Test
    void bothEmbeddedDatabasesWriteEachCommitAtOnceAndAreKeptUp() throws SQLException {
        for (String service : List.of("auth", "business")) {
            try (Connection db = DriverManager.getConnection(
                    "jdbc:h2:" + Sigil.data(service) + "/lib/databases/embedded_default;AUTO_SERVER=TRUE", "", "")) {
                assertEquals("0", setting(db, "WRITE_DELAY"), service + "'s write delay (H2's default is 500 ms)");
                assertEquals("5000", setting(db, "RETENTION_TIME"), service + "'s retention (H2's default is 45 s)");
            }
        }
    }

    static String setting(Connection db, String name) throws SQLException {
        try (PreparedStatement query =
                db.prepareStatement("select setting_value from information_schema.settings where setting_name = ?")) {
            query.setString(1, name);
            try (ResultSet setting = query.executeQuery()) {
                assertTrue(setting.next(), name);
                return setting.getString(1);
            }
        }
    }

    // ---- each process sees only its own secrets

    @Test
    void eachServiceGetsItsOwnSettingsAndNoOtherSecrets() throws IOException {
        Map<String, String> auth = environment("auth");
        Map<String, String> business = environment("business");

        assertEquals(KEYS_SECRET, auth.get("AUTH_KEYS_ENCRYPTION_SECRET"), "auth gets its settings");
        assertEquals(Sigil.ADMIN_PASSWORD, auth.get("AUTH_ADMIN_PASSWORD"));
        assertEquals(AUTH_DB_PASSWORD, auth.get("AUTH_DB_PASSWORD"));
        assertEquals(BUSINESS_DB_PASSWORD, business.get("BUSINESS_DB_PASSWORD"), "business gets its settings");
        assertEquals(Sigil.AUTH + "/.well-known/jwks.json", business.get("MP_JWT_VERIFY_PUBLICKEY_LOCATION"));
        assertEquals("2", business.get("SIGIL_KEYS_REFRESH_SECONDS"));

        List<String> authSecrets = List.of(KEYS_SECRET, Sigil.ADMIN_PASSWORD, AUTH_DB_PASSWORD);
        assertTrue(business.keySet().stream().noneMatch(name -> name.startsWith("AUTH_")), business::toString);
        assertTrue(business.values().stream().noneMatch(authSecrets::contains), "no auth secret under another name");
        assertFalse(auth.containsKey("BUSINESS_DB_PASSWORD"), auth::toString);
        assertFalse(auth.containsValue(BUSINESS_DB_PASSWORD));
        assertFalse(
                auth.containsKey("OTHER_APP_TOKEN") || business.containsKey("OTHER_APP_TOKEN"),
                "a variable of neither service reaches neither");
        assertTrue(auth.keySet().stream().noneMatch(name -> name.startsWith("BUSINESS_")), auth::toString);
        assertEquals("business", business.get("MP_JWT_VERIFY_AUDIENCES"), "business's validator setting reaches it");
        assertFalse(auth.containsKey("MP_JWT_VERIFY_AUDIENCES"), "and not auth, which derives its own");
        String self = login(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD, "auth").getString("access_token");
        assertEquals(200, this.auth.get("/admin/users", bearer(self)).status(), "auth still takes its own tokens");
        for (String service : List.of("auth", "business")) {
            Pattern allowed = Pattern.compile(service.toUpperCase(Locale.ROOT) + "_.*|MP_.*|SIGIL_.*|LC_.*"
                    + "|PATH|HOME|USER|LOGNAME|LANG|LANGUAGE|TZ|TMPDIR|JAVA_HOME|JDK_JAVA_OPTIONS|JAVA_TOOL_OPTIONS");
            List<String> others = environment(service).keySet().stream()
                    .filter(name -> !allowed.matcher(name).matches())
                    .toList();
            assertEquals(List.of(), others, service + " gets only its own, the shared and the JVM's variables");
        }
    }

    /**
     * Both services listen on loopback only unless {@code BIND_ADDRESS} says otherwise: their
     * health, metrics and OpenAPI endpoints are for this machine.
     */
    @Test
    void bothServicesListenOnLoopbackOnly() throws IOException {
        Loopback.assertOnlyLoopbackAnswers(Sigil.AUTH_PORT, "auth");
        Loopback.assertOnlyLoopbackAnswers(Sigil.BUSINESS_PORT, "business");
    }

    @Test
    void noSecretIsOnACommandLine() throws IOException {
        List<String> secrets = List.of(KEYS_SECRET, Sigil.ADMIN_PASSWORD, AUTH_DB_PASSWORD, BUSINESS_DB_PASSWORD);
        for (String service : List.of("auth", "business")) {
            String commandLine = commandLine(service);
            assertTrue(commandLine.contains("payara-micro.jar"), commandLine);
            for (String secret : secrets) {
                assertFalse(commandLine.contains(secret), service + "'s command line holds a secret: " + commandLine);
            }
        }
    }

    @Test
    void eachServiceGetsItsOwnJavaOptionsAfterItsJvmOptionsFile() throws IOException {
        // the build sets AUTH_JAVA_OPTIONS and BUSINESS_JAVA_OPTIONS for every server it starts
        for (String service : List.of("auth", "business")) {
            String own = System.getenv(service.toUpperCase(Locale.ROOT) + "_JAVA_OPTIONS");
            String other = System.getenv(("auth".equals(service) ? "BUSINESS" : "AUTH") + "_JAVA_OPTIONS");
            assertTrue(own != null && !own.isBlank() && !own.equals(other), "the build sets both, differently");
            String commandLine = commandLine(service);
            int file = commandLine.indexOf(" -Xmx512m "); // server-config/<service>/jvm.options
            int extra = commandLine.indexOf(" " + own + " ");
            assertTrue(file > 0 && extra > file, service + ": " + commandLine);
            assertTrue(extra < commandLine.indexOf(" -jar "), service + ": " + commandLine);
            assertFalse(commandLine.contains(other), service + " got the other service's options: " + commandLine);
        }
    }

    // ---- owner-only files

    @Test
    void everythingUnderTheDataDirectoryIsTheOwnersOnly() throws IOException {
        Path data = Sigil.dataDir();
        Set<PosixFilePermission> ownerOnly = Set.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        for (Path directory : List.of(data, Sigil.data("auth"), Sigil.data("business"))) {
            assertEquals(ownerOnly, Files.getPosixFilePermissions(directory), directory.toString());
        }
        for (Path file : List.of(
                data.resolve("auth.log"),
                data.resolve("business.log"),
                Sigil.data("auth").resolve("lib/databases/embedded_default.mv.db"),
                Sigil.data("business").resolve("lib/databases/embedded_default.mv.db"))) {
            assertTrue(Files.isRegularFile(file), file.toString());
        }
        List<String> open = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(data)) {
            paths.forEach(path -> {
                try {
                    if (Files.getPosixFilePermissions(path).stream().anyMatch(ProcessesIT::groupOrOthers)) {
                        open.add(path + " " + Files.getPosixFilePermissions(path));
                    }
                } catch (NoSuchFileException gone) {
                    // a temporary file removed while walking
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        assertEquals(List.of(), open, "group or others may read these");
    }

    // ---- helpers

    static boolean groupOrOthers(PosixFilePermission permission) {
        return !permission.name().startsWith("OWNER_");
    }

    /** A running service's command line, as the kernel shows it, its arguments joined by spaces. */
    static String commandLine(String service) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(Sigil.pid(service)), "cmdline"), StandardCharsets.UTF_8)
                .replace('\0', ' ');
    }

    /** A running service's environment, as the kernel shows it. */
    static Map<String, String> environment(String service) throws IOException {
        byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(Sigil.pid(service)), "environ"));
        Map<String, String> variables = new HashMap<>();
        for (String entry : new String(raw, StandardCharsets.UTF_8).split("\0")) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                variables.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return variables;
    }

    static String refresh(String token) {
        return "{\"refresh_token\":\"" + token + "\"}";
    }

    JsonObject login(String email, String password) {
        return login(email, password, null);
    }

    /** Logs in for an audience ({@code auth} for auth's own account and administration endpoints), or the default one. */
    JsonObject login(String email, String password, String audience) {
        Reply login = auth.post("/login", credentials(email, password, audience));
        assertStatus(200, login);
        return login.json();
    }

    String placeOrder(String token, String item) {
        Reply placed = business.post("/orders", "{\"item\":\"" + item + "\",\"quantity\":1}", bearer(token));
        assertStatus(201, placed);
        return placed.json().getString("id");
    }

    static void assertStatus(int expected, Reply reply) {
        assertEquals(expected, reply.status(), reply::toString);
    }

    static void assertStatus(int expected, Reply reply, String what) {
        assertEquals(expected, reply.status(), () -> what + ": " + reply);
    }
}
