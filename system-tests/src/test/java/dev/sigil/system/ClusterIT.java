package dev.sigil.system;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static dev.sigil.testkit.TestUsers.credentials;
import static dev.sigil.testkit.TestUsers.email;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.EventStreamReader;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.JwtParts;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Sigil scaled out as {@code scripts/cluster.sh} runs it: two auth and two business instances
 * behind nginx, on PostgreSQL, the auth instances sharing Payara's data grid. Proves what only
 * several instances can show: the auth instances sign with one key, a change made on one auth
 * instance holds on the other at once, a session moves between them, failed logins are
 * counted across them, a key rotation reaches every business instance, and a business instance
 * killed under load costs the clients no failed request.
 * The kill comes late: the tests before it use both business instances. Last come the checks
 * that a local client cannot choose the address its failed logins are counted against; the
 * very last locks 127.0.0.1, where every other test connects from.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    static final Path ROOT =
            Path.of(System.getProperty("sigil.root", "..")).toAbsolutePath().normalize();
    static final Path DIR =
            Path.of(System.getProperty("sigil.cluster", "target/cluster")).toAbsolutePath();
    /** nginx, the four instances, then the two grid members: one range, so they cannot overlap. */
    static final int PORT = freeRange(7);

    static final int GRID_PORT = PORT + 5;
    static final String ADMIN_EMAIL = "ops@example.com";
    static final String ADMIN_PASSWORD = "cluster-test-admin-password";
    /** Failed logins that lock a client address in this cluster (the default 50 only takes longer). */
    static final int ADDRESS_FAILURES = 20;
    /** Where scripts/postgres.sh keeps its data and the services' passwords (its defaults). */
    static final String PG_PORT = System.getenv().getOrDefault("PG_PORT", "15432");

    static final Path PG_DIR = Path.of(System.getenv()
            .getOrDefault("PG_DIR", System.getenv().getOrDefault("TMPDIR", "/tmp") + "/sigil-postgres-" + PG_PORT));
    /** Where scripts/cluster.sh keeps the data grid's secret (its default). */
    static final Path SECRETS = Path.of(System.getenv()
            .getOrDefault(
                    "CLUSTER_SECRETS_DIR",
                    System.getenv().getOrDefault("XDG_CONFIG_HOME", System.getProperty("user.home") + "/.config")
                            + "/sigil"));

    static final HttpJson balancer =
            new HttpJson("http://127.0.0.1:" + PORT, java.net.http.HttpClient.Version.HTTP_1_1);
    static final HttpJson auth1 = instance(1, "/auth");
    static final HttpJson auth2 = instance(2, "/auth");
    static final HttpJson business1 = instance(3, "/business");
    static final HttpJson business2 = instance(4, "/business");

    static HttpJson instance(int offset, String context) {
        return new HttpJson("http://127.0.0.1:" + (PORT + offset) + context, java.net.http.HttpClient.Version.HTTP_1_1);
    }

    @BeforeAll
    static void startCluster() throws Exception {
        script("cluster.sh", "stop");
        wipe(DIR);
        script("postgres.sh", "fresh", "auth");
        script("postgres.sh", "reset", "business");
        script("cluster.sh", "start");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        script("cluster.sh", "stop");
    }

    /** Credentials for a token of auth's own audience, which its account and administration endpoints need. */
    static String selfCredentials(String email, String password) {
        return credentials(email, password, "auth");
    }

    static String registered() {
        String email = email("c");
        Reply reply = balancer.post("/auth/users", credentials(email, PASSWORD));
        assertEquals(201, reply.status(), reply::toString);
        return email;
    }

    @Test
    @Order(1)
    void bothAuthInstancesSignWithTheOneKeyCreatedOnTheEmptyDatabase() {
        Reply admin = balancer.post("/auth/login", selfCredentials(ADMIN_EMAIL, ADMIN_PASSWORD));
        assertEquals(200, admin.status(), admin::toString);
        Reply keys = auth1.get("/admin/keys", bearer(admin.json().getString("access_token")));
        assertEquals(200, keys.status(), keys::toString);
        assertEquals(1, keys.json().getJsonArray("keys").size(), keys::toString);
        String kid = keys.json().getJsonArray("keys").getJsonObject(0).getString("kid");
        for (HttpJson instance : List.of(auth1, auth2)) {
            Reply login = instance.post("/login", credentials(ADMIN_EMAIL, ADMIN_PASSWORD));
            assertEquals(kid, kid(login.json().getString("access_token")));
        }
    }

    /** RFC 8414 section 3: the metadata of an issuer with a path is at the host's root, the path after the well-known name. */
    @Test
    @Order(1)
    void theAuthorizationServerMetadataIsWhereRfc8414PutsItForTheIssuer() {
        Reply metadata = balancer.get("/.well-known/oauth-authorization-server/auth");
        assertEquals(200, metadata.status(), metadata::toString);
        String issuer = metadata.json().getString("issuer");
        URI location = URI.create(issuer);
        assertEquals(
                "/.well-known/oauth-authorization-server" + location.getPath(),
                "/.well-known/oauth-authorization-server/auth",
                "the location the RFC derives from the issuer " + issuer);
        assertEquals(
                metadata.json(),
                balancer.get("/auth/.well-known/oauth-authorization-server").json(),
                "the same document as at the issuer's own path");
        assertEquals(
                404, balancer.get("/.well-known/oauth-authorization-server").status(), "no issuer at the root");
    }

    @Test
    @Order(2)
    void whatOneAuthInstanceChangesHoldsOnTheOther() {
        String email = registered();
        Reply session = auth1.post("/login", selfCredentials(email, PASSWORD));
        assertEquals(200, session.status(), session::toString);
        String token = session.json().getString("access_token");
        // auth-1 has read the account; auth-2 changes its password
        Reply changed = auth2.send(
                "PUT",
                "/users/me/password",
                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another horse battery\"}",
                bearer(token));
        assertEquals(204, changed.status(), changed::toString);
        Reply oldPassword = auth1.post("/login", credentials(email, PASSWORD));
        assertEquals(401, oldPassword.status(), oldPassword::toString);
        Reply refresh =
                auth1.post("/refresh", "{\"refresh_token\":\"" + session.json().getString("refresh_token") + "\"}");
        assertEquals(401, refresh.status(), "the change ended the session everywhere: " + refresh);
        assertEquals(
                200,
                auth1.post("/login", credentials(email, "another horse battery"))
                        .status());
    }

    @Test
    @Order(3)
    void aSessionStartedOnOneAuthInstanceIsRefreshedOnTheOther() {
        String email = registered();
        Reply login = auth1.post("/login", credentials(email, PASSWORD));
        assertEquals(200, login.status(), login::toString);
        Reply refreshed =
                auth2.post("/refresh", "{\"refresh_token\":\"" + login.json().getString("refresh_token") + "\"}");
        assertEquals(200, refreshed.status(), refreshed::toString);
        String token = refreshed.json().getString("access_token");
        assertEquals(200, business1.get("/dashboard", bearer(token)).status());
        assertEquals(200, business2.get("/dashboard", bearer(token)).status());

        // the spent refresh token, presented to the first instance, is reuse there too
        Reply reused =
                auth1.post("/refresh", "{\"refresh_token\":\"" + login.json().getString("refresh_token") + "\"}");
        assertEquals(401, reused.status(), reused::toString);
    }

    @Test
    @Order(4)
    void failedLoginsAreCountedAcrossAuthInstances() {
        String email = registered();
        for (int i = 0; i < 5; i++) {
            HttpJson instance = i % 2 == 0 ? auth1 : auth2;
            Reply failed = instance.post("/login", credentials(email, "wrong password " + i));
            assertEquals(401, failed.status(), failed::toString);
        }
        // five failures in all (three here, two there) lock the account on both, right password or not
        for (HttpJson instance : List.of(auth1, auth2)) {
            Reply locked = instance.post("/login", credentials(email, PASSWORD));
            assertEquals(429, locked.status(), locked::toString);
            assertTrue(Integer.parseInt(locked.header("Retry-After")) > 0, locked::toString);
        }
    }

    /** Each guess takes its place in the grid before its hash runs, whichever instance checks it. */
    @Test
    @Order(4)
    void concurrentGuessesSpreadOverAuthInstancesGetAtMostFiveChecks() throws Exception {
        String email = registered();
        List<Reply> replies = Concurrently.atOnce(
                24, i -> (i % 2 == 0 ? auth1 : auth2).post("/login", credentials(email, "concurrent guess " + i)));
        AttackIT.assertAtMostFiveChecked(replies, 401);
    }

    @Test
    @Order(5)
    void aKeyRotationReachesEveryBusinessInstance() throws Exception {
        Reply admin = balancer.post("/auth/login", selfCredentials(ADMIN_EMAIL, ADMIN_PASSWORD));
        assertEquals(200, admin.status(), admin::toString);
        String adminToken = admin.json().getString("access_token");
        String oldKid = kid(adminToken);
        String oldBusinessToken = balancer.post("/auth/login", credentials(ADMIN_EMAIL, ADMIN_PASSWORD))
                .json()
                .getString("access_token");
        assertEquals(oldKid, kid(oldBusinessToken));

        Reply rotated = auth2.post("/admin/keys/rotate", "", bearer(adminToken));
        assertEquals(202, rotated.status(), rotated::toString);
        String newKid = rotated.json().getString("kid");
        assertNotEquals(oldKid, newKid);

        // published: both business instances learn it from their own polling, no token needed
        for (int offset : List.of(3, 4)) {
            ServerEndpoints server = new ServerEndpoints("http://127.0.0.1:" + (PORT + offset));
            await(
                    Duration.ofSeconds(30),
                    "business instance " + (offset - 2) + " knows " + newKid,
                    () -> ServerEndpoints.check(server.ready(), "token-keys")
                            .orElseThrow()
                            .getJsonObject("data")
                            .getString("kids")
                            .contains(newKid));
        }
        // active after the publication lead: both auth instances sign with it, both business instances accept it
        String email = registered();
        for (HttpJson instance : List.of(auth1, auth2)) {
            String[] token = new String[1];
            await(Duration.ofSeconds(30), "auth signs with " + newKid, () -> {
                Reply login = instance.post("/login", credentials(email, PASSWORD));
                token[0] = login.json().getString("access_token");
                return newKid.equals(kid(token[0]));
            });
            assertEquals(200, business1.get("/dashboard", bearer(token[0])).status());
            assertEquals(200, business2.get("/dashboard", bearer(token[0])).status());
        }
        // and tokens of the old key stay valid on both until they expire
        assertEquals(200, business1.get("/dashboard", bearer(oldBusinessToken)).status());
        assertEquals(200, business2.get("/dashboard", bearer(oldBusinessToken)).status());
    }

    /** A user's id and business token, accepted by both business instances. */
    record Holder(String id, String token) {}

    /** A fresh token of the account: issued after every revocation of it so far. */
    static Holder holder(String email) {
        return holder(email, balancer, "/auth");
    }

    /** The same, logged in at one instance. */
    static Holder holder(String email, HttpJson auth, String prefix) {
        Reply login = auth.post(prefix + "/login", credentials(email, PASSWORD));
        assertEquals(200, login.status(), login::toString);
        String token = login.json().getString("access_token");
        assertEquals(200, business1.get("/dashboard", bearer(token)).status());
        assertEquals(200, business2.get("/dashboard", bearer(token)).status());
        return new Holder(JwtParts.claims(token).getString("sub"), token);
    }

    /** Revokes the holder's tokens through one auth instance; the time until each business instance refuses the token. */
    static long[] revokeAndMeasure(HttpJson auth, String adminToken, Holder holder) throws InterruptedException {
        Reply revoked = auth.post("/admin/users/" + holder.id() + "/revoke-tokens", "", bearer(adminToken));
        long answered = System.nanoTime();
        assertEquals(204, revoked.status(), revoked::toString);
        long[] ms = {-1, -1};
        List<HttpJson> instances = List.of(business1, business2);
        while (ms[0] < 0 || ms[1] < 0) {
            for (int i = 0; i < 2; i++) {
                if (ms[i] < 0) {
                    Reply reply = instances.get(i).get("/dashboard", bearer(holder.token()));
                    long elapsed = (System.nanoTime() - answered) / 1_000_000;
                    if (reply.status() == 401) {
                        assertEquals("Token revoked", reply.detail(), reply::toString);
                        ms[i] = elapsed;
                    } else {
                        assertEquals(200, reply.status(), reply::toString);
                        assertTrue(
                                elapsed <= 2000,
                                "business-" + (i + 1) + " still accepts " + elapsed + " ms after the revocation");
                    }
                }
            }
            Thread.sleep(50);
        }
        return ms;
    }

    /**
     * A revocation made through either auth instance reaches both business instances within
     * 2 s, polled every 50 ms; one made through the other auth instance is pushed by this one
     * too (read from the shared database). An auth instance killed and started again meanwhile
     * loses none: the revocations live in the database. Prints the figures docs/PERFORMANCE.md quotes.
     */
    @Test
    @Order(5)
    void revocationsThroughEitherAuthInstanceReachBothBusinessInstancesWithinTwoSeconds() throws Exception {
        String admin = balancer.post("/auth/login", selfCredentials(ADMIN_EMAIL, ADMIN_PASSWORD))
                .json()
                .getString("access_token");
        // three accounts in all, each logging in again after each revocation: registrations are rate-limited
        String email = registered();
        List<Long> measured = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            for (HttpJson auth : List.of(auth1, auth2)) {
                Arrays.stream(revokeAndMeasure(auth, admin, holder(email))).forEach(measured::add);
            }
        }

        System.out.println("Cluster revocation to 401 at both business instances, ms: " + measured);
        try (EventStreamReader stream =
                EventStreamReader.open("http://127.0.0.1:" + (PORT + 1) + "/auth/revocations/events")) {
            assertEquals(200, stream.status());
            assertTrue(stream.nextEvent(Duration.ofSeconds(5)) != null, "the whole feed first");
            Holder elsewhere = holder(email);
            Arrays.stream(revokeAndMeasure(auth2, admin, elsewhere)).forEach(measured::add);
            String pushed = stream.nextEvent(Duration.ofSeconds(2));
            assertTrue(pushed != null && lists(pushed, elsewhere), "auth-1 pushes what auth-2 revoked: " + pushed);
        }

        List<Holder> before = List.of(holder(registered()), holder(registered()));
        revokeAndMeasure(auth1, admin, before.get(0));
        script("cluster.sh", "kill", "auth-1");
        List<Long> withAuth1Down = new ArrayList<>();
        Arrays.stream(revokeAndMeasure(auth2, admin, before.get(1))).forEach(withAuth1Down::add);
        script("cluster.sh", "start-one", "auth-1");
        System.out.println("Cluster revocation with auth-1 down, ms: " + withAuth1Down);
        // auth-1 reports ready a moment before its login answers (seen: one 404 just after start-one)
        await(
                Duration.ofSeconds(30),
                "auth-1 serves logins",
                () -> auth1.post("/login", credentials(email, PASSWORD)).status() == 200);
        String feed = auth1.get("/revocations").body();
        for (Holder holder : before) {
            assertTrue(lists(feed, holder), "auth-1 restarted still lists " + holder);
            assertEquals(
                    401, business1.get("/dashboard", bearer(holder.token())).status());
            assertEquals(
                    401, business2.get("/dashboard", bearer(holder.token())).status());
        }
        List<Long> afterRestart = new ArrayList<>();
        for (HttpJson auth : List.of(auth1, auth2)) {
            Arrays.stream(revokeAndMeasure(auth, admin, holder(email, auth2, "")))
                    .forEach(afterRestart::add);
        }
        measured.addAll(withAuth1Down);
        measured.addAll(afterRestart);
        long[] sorted = measured.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.println("Cluster revocation to 401 at both business instances, ms: " + measured + " (auth-1 down: "
                + withAuth1Down + ", after its restart: " + afterRestart + "); median " + sorted[sorted.length / 2]
                + ", max " + sorted[sorted.length - 1] + " (n=" + sorted.length + ")");
    }

    @Test
    @Order(6)
    void killingABusinessInstanceUnderLoadFailsNoClientRequest() throws Exception {
        String email = registered();
        String token = balancer.post("/auth/login", credentials(email, PASSWORD))
                .json()
                .getString("access_token");
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger afterKill = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            running.add(clients.submit(() -> {
                HttpJson client = new HttpJson(balancer.base(), java.net.http.HttpClient.Version.HTTP_1_1);
                while (System.nanoTime() < end) {
                    int status =
                            client.get("/business/dashboard", bearer(token)).status();
                    statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (System.nanoTime() > killedAt.get()) {
                        afterKill.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        Thread.sleep(3000);
        script("cluster.sh", "kill", "business-1");
        killedAt.set(System.nanoTime());
        for (Future<?> client : running) {
            client.get(30, TimeUnit.SECONDS);
        }
        clients.shutdown();

        assertEquals(List.of(200), List.copyOf(statuses.keySet()), () -> "statuses seen: " + statuses);
        assertTrue(afterKill.get() > 100, () -> "requests served after the kill: " + afterKill);
        assertEquals(200, business2.get("/dashboard", bearer(token)).status());
    }

    @Test
    @Order(0)
    void secretsAreTheOwnersAloneAndEachInstanceSeesOnlyItsOwn() throws IOException {
        for (Path dir : List.of(PG_DIR, PG_DIR.resolve("data"), PG_DIR.resolve("secrets"), SECRETS, DIR)) {
            assertEquals("rwx------", permissions(dir), dir.toString());
        }
        String grid = secret(SECRETS.resolve("grid.secret"));
        String authDb = secret(PG_DIR.resolve("secrets/sigil_auth.password"));
        String businessDb = secret(PG_DIR.resolve("secrets/sigil_business.password"));
        for (Path file : List.of(
                PG_DIR.resolve("secrets/auth-post-boot.asadmin"),
                PG_DIR.resolve("secrets/business-post-boot.asadmin"),
                DIR.resolve("auth-1-pre-boot.asadmin"),
                DIR.resolve("auth-2-pre-boot.asadmin"),
                DIR.resolve("business-1-pre-boot.asadmin"),
                DIR.resolve("business-2-pre-boot.asadmin"))) {
            assertEquals("rw-------", permissions(file), file.toString());
        }
        assertTrue(Files.readString(DIR.resolve("auth-1-pre-boot.asadmin"))
                .contains("cluster-group-name=sigil-auth-" + PORT + "-" + grid));
        assertTrue(Files.readString(PG_DIR.resolve("secrets/auth-post-boot.asadmin"))
                .contains("password=" + authDb));
        // both auth instances are in one grid, the one of the secret name (Payara logs its state)
        for (String name : List.of("auth-1", "auth-2")) {
            assertTrue(
                    Files.readString(DIR.resolve(name + ".log"))
                            .contains("DG Name: sigil-auth-" + PORT + "-" + grid + " DG Size: 2"),
                    name + ".log");
            // and count login failures there, as auth.throttle.shared requires, not each alone
            assertTrue(
                    Files.readString(DIR.resolve(name + ".log"))
                            .contains("Login failures are counted in the cluster's data grid"),
                    name + ".log");
        }

        for (String name : List.of("auth-1", "auth-2", "business-1", "business-2")) {
            long pid =
                    Long.parseLong(Files.readString(DIR.resolve(name + ".pid")).strip());
            String commandLine =
                    Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            String environment = Files.readString(Path.of("/proc/" + pid + "/environ"));
            assertTrue(commandLine.contains(name), commandLine);
            for (String secret : List.of(grid, authDb, businessDb, ADMIN_PASSWORD)) {
                assertTrue(!commandLine.contains(secret), name + "'s command line holds a secret: " + commandLine);
            }
            for (String secret : List.of(grid, authDb, businessDb)) {
                assertTrue(!environment.contains(secret), name + "'s environment holds a secret");
            }
            List<String> variables = Stream.of(environment.split("\0"))
                    .map(entry -> entry.substring(0, entry.indexOf('=')))
                    .toList();
            assertTrue(variables.stream().noneMatch(variable -> variable.contains("_DB_")), name + ": " + variables);
            assertTrue(!environment.contains("from-the-callers-shell"), name + ": " + variables);
            if (name.startsWith("auth")) {
                assertTrue(environment.contains("AUTH_ADMIN_PASSWORD=" + ADMIN_PASSWORD), name + ": " + variables);
                assertTrue(environment.contains("AUTH_THROTTLE_SHARED=true"), name + ": " + variables);
                assertTrue(
                        variables.stream().noneMatch(variable -> variable.startsWith("BUSINESS_")),
                        name + ": " + variables);
            } else {
                assertTrue(!environment.contains(ADMIN_PASSWORD), name + "'s environment holds auth's admin password");
                assertTrue(
                        variables.stream().noneMatch(variable -> variable.startsWith("AUTH_")),
                        name + ": " + variables);
            }
        }
    }

    /**
     * A Payara Micro that knows everything about the auth instances' data grid but the secret
     * at the end of its name (the same TCP members on loopback, the name with another secret)
     * is refused and forms a grid of its own; the auth instances still count two members. The
     * same join settings with the right name are what made the two auth instances one grid.
     */
    @Test
    @Order(0)
    void aMemberWithoutTheGridSecretIsNotLetIntoTheGrid() throws Exception {
        String wrongName = "sigil-auth-" + PORT + "-" + "0".repeat(64);
        int ports = freeRange(2);
        Path log = DIR.resolve("intruder.log");
        Process intruder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx256m",
                        "-Dhazelcast.socket.bind.any=false",
                        "-jar",
                        ROOT.resolve("target/payara-micro.jar").toString(),
                        "--port",
                        Integer.toString(ports),
                        "--rootdir",
                        DIR.resolve("intruder").toString(),
                        "--clustermode",
                        "tcpip:127.0.0.1:" + GRID_PORT + ",127.0.0.1:" + (GRID_PORT + 1),
                        "--interfaces",
                        "127.0.0.1",
                        "--startport",
                        Integer.toString(ports + 1),
                        "--nohostaware",
                        "--clustername",
                        wrongName)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            await(Duration.ofSeconds(120), "the intruder has started", () -> read(log)
                    .contains("DG Name: " + wrongName));
            assertTrue(
                    read(log).contains("DG Name: " + wrongName + " DG Size: 1"), "the intruder is alone: see " + log);
        } finally {
            intruder.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        for (String name : List.of("auth-1", "auth-2")) {
            String own = read(DIR.resolve(name + ".log"));
            String last = own.substring(own.lastIndexOf("DG Size: "));
            assertTrue(last.startsWith("DG Size: 2") && !own.contains("DG Size: 3"), name + ".log: " + last);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @Order(0)
    void postgresqlLetsEachServiceIntoItsOwnDatabaseWithItsPasswordOnly() throws Exception {
        String authDb = secret(PG_DIR.resolve("secrets/sigil_auth.password"));
        String businessDb = secret(PG_DIR.resolve("secrets/sigil_business.password"));
        assertEquals(0, psql("127.0.0.1", "sigil_auth", "sigil_auth", authDb), "the service with its password");
        assertEquals(0, psql("127.0.0.1", "sigil_business", "sigil_business", businessDb));
        assertNotEquals(0, psql("127.0.0.1", "sigil_auth", "sigil_auth", null), "no password");
        assertNotEquals(0, psql("127.0.0.1", "sigil_auth", "sigil_auth", businessDb), "another service's password");
        assertNotEquals(0, psql("127.0.0.1", "sigil_auth", "sigil_business", authDb), "another service's database");
        assertNotEquals(0, psql("127.0.0.1", "postgres", "postgres", null), "the administrator over TCP");
        assertNotEquals(0, psql("127.0.0.1", "postgres", "postgres", authDb));
        // the administrator's socket: only the server's own user may enter its directory
        assertNotEquals(0, psql(PG_DIR.toString(), "postgres", "postgres", null, "runuser", "-u", "nobody", "--"));
    }

    /** The exit status of psql running {@code SELECT 1}, never prompting for a password. */
    static int psql(String host, String user, String database, String password, String... prefix) throws Exception {
        List<String> command = new ArrayList<>(List.of(prefix));
        command.addAll(List.of(
                psqlBinary(), "-X", "-w", "-h", host, "-p", PG_PORT, "-U", user, "-d", database, "-c", "SELECT 1"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        DIR.resolveSibling("cluster-sh.log").toFile()));
        builder.environment().remove("PGPASSWORD");
        if (password != null) {
            builder.environment().put("PGPASSWORD", password);
        }
        Process process = builder.start();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "psql did not finish");
        return process.exitValue();
    }

    static String psqlBinary() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(version -> version.resolve("bin/psql"))
                    .filter(Files::isExecutable)
                    .max(java.util.Comparator.naturalOrder())
                    .orElseThrow()
                    .toString();
        }
    }

    /**
     * A percent-escape Payara cannot decode gets an empty 200 from it before any of Sigil's code
     * runs (payara/Payara issue 8000); nginx refuses such a request itself.
     */
    @Test
    @Order(1)
    void nginxRefusesAPathWhoseEscapesPayaraWouldAnswerWithAnEmpty200() throws IOException {
        for (String path : List.of("/auth/a%2", "/auth/%zz", "/business/%")) {
            try (Socket socket = new Socket("127.0.0.1", PORT)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 400 "), path + ": " + answer);
            }
            try (Socket socket = new Socket("127.0.0.1", PORT + 1)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream()
                        .write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("HTTP/1.1 200 "), "straight to an instance, as documented: " + answer);
            }
        }
    }

    @Test
    @Order(7)
    void throughNginxTheClientsOwnForwardedForCannotPickTheCountedAddress() throws IOException {
        // the client connects from 127.0.0.9 and claims to forward for 127.0.0.10
        for (int i = 0; i < ADDRESS_FAILURES; i++) {
            int status = login("127.0.0.9", PORT, "/auth/login", unknownEmail(), "wrong password", "127.0.0.10");
            assertTrue(status == 401 || status == 429, "status " + status);
        }
        String email = registered();
        assertEquals(429, login("127.0.0.9", PORT, "/auth/login", email, PASSWORD, null), "the real address is locked");
        assertEquals(200, login("127.0.0.10", PORT, "/auth/login", email, PASSWORD, null), "the named address is not");
    }

    @Test
    @Order(8)
    void aForwardedForSentPastNginxIsCountedForTheRealAddress() throws IOException {
        // straight to an instance from 127.0.0.1, naming 127.0.0.8 as the client: 127.0.0.1 is
        // the address of every local client, not nginx's, so auth does not believe the header
        String email = registered();
        for (int i = 0; i < ADDRESS_FAILURES; i++) {
            int status = login("127.0.0.1", PORT + 1, "/auth/login", unknownEmail(), "wrong password", "127.0.0.8");
            assertTrue(status == 401 || status == 429, "status " + status);
        }
        assertEquals(
                429, login("127.0.0.1", PORT + 2, "/auth/login", email, PASSWORD, null), "the real address is locked");
        assertEquals(
                200, login("127.0.0.8", PORT + 2, "/auth/login", email, PASSWORD, null), "the named address is not");
    }

    static String unknownEmail() {
        return "nobody-" + UUID.randomUUID() + "@example.com";
    }

    /**
     * The status of a login sent from a chosen loopback address, which {@code HttpClient} cannot
     * do: a client on this host may connect from any 127.0.0.0/8 address.
     */
    static int login(String from, int port, String path, String email, String password, String forwardedFor)
            throws IOException {
        byte[] body = credentials(email, password).getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n"
                + (forwardedFor == null ? "" : "X-Forwarded-For: " + forwardedFor + "\r\n") + "\r\n";
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    static String permissions(Path path) throws IOException {
        assertTrue(!Files.isSymbolicLink(path), path + " is a link");
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    static String secret(Path file) throws IOException {
        assertEquals("rw-------", permissions(file), file.toString());
        String secret = Files.readString(file).strip();
        assertEquals(64, secret.length(), file + " holds no 32-byte secret");
        return secret;
    }

    /** Whether a revocation feed document revokes the holder's tokens. */
    static boolean lists(String feed, Holder holder) {
        return JwtParts.claims(feed).getJsonArray("revocations").stream()
                .anyMatch(entry -> holder.id().equals(entry.asJsonObject().getString("sub", null)));
    }

    /** The kid in a token's header. */
    static String kid(String token) {
        return JwtParts.header(token).getString("kid");
    }

    static void await(Duration limit, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            Thread.sleep(500);
        }
    }

    /** The first of {@code count} consecutive free ports above 20000. */
    static int freeRange(int count) {
        for (int tries = 0; tries < 200; tries++) {
            int first = 20000 + (int) (Math.random() * 30000);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    socket.setReuseAddress(true);
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    static void wipe(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .map(Path::toFile)
                        .forEach(java.io.File::delete);
            }
        }
        Files.createDirectories(dir);
    }

    static void script(String name, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of("bash", ROOT.resolve("scripts").resolve(name).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        DIR.resolveSibling("cluster-sh.log").toFile()));
        builder.environment()
                .putAll(Map.of(
                        "CLUSTER_PORT",
                        Integer.toString(PORT),
                        "CLUSTER_HZ_PORT",
                        Integer.toString(GRID_PORT),
                        "CLUSTER_DIR",
                        DIR.toString(),
                        "AUTH_ADMIN_EMAIL",
                        ADMIN_EMAIL,
                        "AUTH_ADMIN_PASSWORD",
                        ADMIN_PASSWORD,
                        "AUTH_THROTTLE_ADDRESS_FAILURES",
                        Integer.toString(ADDRESS_FAILURES),
                        // a rotation completes within seconds here instead of two minutes
                        "AUTH_KEYS_PUBLISH_LEAD_SECONDS",
                        "5",
                        "AUTH_KEYS_RELOAD_SECONDS",
                        "2",
                        "SIGIL_KEYS_REFRESH_SECONDS",
                        "2"));
        // as left in a shell by `eval "$(scripts/postgres.sh env)"`: no instance may see them
        builder.environment().put("AUTH_DB_PASSWORD", "from-the-callers-shell");
        builder.environment().put("BUSINESS_DB_PASSWORD", "from-the-callers-shell");
        Files.createDirectories(DIR.getParent());
        Process process = builder.start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " " + String.join(" ", args) + " did not finish in 6 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " " + String.join(" ", args) + " failed; see "
                    + DIR.resolveSibling("cluster-sh.log") + " and the logs in " + DIR);
        }
    }
}
