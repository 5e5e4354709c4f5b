package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.jwt.Revocation;
import dev.sigil.jwt.RevocationFeed;
import dev.sigil.testkit.EventStreamReader;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.NetworkInterface;
import java.net.URL;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions and accounts of the auth WAR as built: refresh with rotation and reuse detection,
 * logout, the caller's own account, password change and administration. Auth validates its
 * own access tokens with MicroProfile JWT here, as business does.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsIT {

    static final String PASSWORD = AuthIT.PASSWORD;
    static final String ADMIN_EMAIL = "ops@example.com";
    static final String ADMIN_PASSWORD = "arquillian-admin-password";

    @ArquillianResource
    URL base;

    HttpJson auth;

    static final int ADDRESS_FAILURES = 30;
    static final int ACCOUNT_CEILING = 15;
    static final int REGISTRATIONS_PER_MINUTE = 5;
    static final int REVOCATION_STREAMS = 3;

    /**
     * The WAR as built; the address lockout, the account ceiling and the registration rate are
     * lowered so tests can reach them, and the test client is a trusted proxy, so a test can
     * speak for many client addresses with {@code X-Forwarded-For}. Refresh tokens are purged every second one second after they expire
     * or are revoked. At most three revocation streams, with a heartbeat every second.
     */
    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        WebArchive war = AuthIT.deployment();
        String config = "/WEB-INF/classes/META-INF/microprofile-config.properties";
        String shipped;
        try (InputStream in = war.get(config).getAsset().openStream()) {
            shipped = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        war.delete(config);
        war.addAsResource(new StringAsset(shipped + "\nauth.throttle.address-failures=" + ADDRESS_FAILURES
                + "\nauth.throttle.account-ceiling=" + ACCOUNT_CEILING
                + "\nauth.throttle.registrations-per-minute=" + REGISTRATIONS_PER_MINUTE
                + "\nauth.throttle.trusted-proxies=" + thisMachine()
                + "\nauth.refresh.retention-seconds=1\nauth.refresh.purge-interval-seconds=1"
                + "\nauth.revocations.max-streams=" + REVOCATION_STREAMS + "\nauth.revocations.heartbeat-seconds=1\n"),
                "META-INF/microprofile-config.properties");
        return war;
    }

    /** Every address of this machine: the server may be reached on any of them, not only on loopback. */
    static String thisMachine() throws IOException {
        return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .map(address -> address.getHostAddress().replaceAll("%.*", ""))
                .collect(Collectors.joining(","));
    }

    @BeforeEach
    void client() {
        auth = new HttpJson(base.toString());
    }

    /**
     * Registers a new user and logs in for business: the login response, and the email under
     * "email". Each registration comes from an
     * address of its own, so the tests' many registrations stay below the registration rate.
     */
    JsonObject newSession() {
        String email = AuthIT.uniqueEmail();
        Reply registered = auth.post("/users", AuthIT.credentials(email, PASSWORD), from(someAddress()));
        assertEquals(201, registered.status(), registered::toString);
        return login(email, PASSWORD);
    }

    static final AtomicInteger ADDRESSES = new AtomicInteger();

    /** A client address no other request of this run has used (198.18.0.0/15, for benchmarks). */
    static String someAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.18." + (n / 250) + "." + (n % 250 + 1);
    }

    /** Headers naming the client address, as a trusted proxy would; then any others. */
    static String[] from(String address, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Forwarded-For";
        all[1] = address;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }

    /** Logs in for business, the audience of a login that names none. */
    JsonObject login(String email, String password) {
        return login(email, password, null);
    }

    /** Logs in for an audience (null: none named); the response, and the email under "email". */
    JsonObject login(String email, String password, String audience) {
        Reply reply = auth.post("/login", AuthIT.credentials(email, password, audience));
        assertEquals(200, reply.status(), reply::toString);
        return Json.createObjectBuilder(reply.json()).add("email", email).build();
    }

    /** A token for auth's own account and administration endpoints. */
    String selfToken(String email, String password) {
        return login(email, password, "auth").getString("access_token");
    }

    Reply refresh(String refreshToken) {
        return auth.post("/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}");
    }

    Reply refresh(String refreshToken, String audience) {
        return auth.post("/refresh", "{\"refresh_token\":\"" + refreshToken + "\",\"audience\":\"" + audience + "\"}");
    }

    static String email(JsonObject session) {
        return session.getString("email");
    }

    static List<String> audience(String jwt) {
        return claims(jwt).getJsonArray("aud").getValuesAs(JsonString::getString);
    }

    /** The 401 of a valid token for another audience than auth's own endpoints accept. */
    static void assertWrongAudience(Reply reply) {
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Token for another audience", reply.detail());
        assertEquals("Bearer realm=\"auth\", error=\"invalid_token\", "
                + "error_description=\"The access token is not for audience auth\"", reply.header("WWW-Authenticate"));
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply::toString);
    }

    static String subject(JsonObject session) {
        return claims(session.getString("access_token")).getString("sub");
    }

    static JsonObject claims(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(payload)).readObject();
    }

    static void assertInvalidRefresh(Reply reply) {
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Invalid refresh token", reply.detail());
    }

    @Test
    void loginAlsoReturnsARefreshToken() {
        JsonObject session = newSession();
        assertTrue(session.getString("refresh_token").length() >= 43, "at least 256 random bits");
        assertEquals(86400, session.getInt("refresh_expires_in"));
    }

    @Test
    void refreshRotatesAndReuseRevokesTheFamily() {
        double refreshes = server().counter("sigil_refreshes_total", null);
        double reuses = server().counter("sigil_refresh_reuse_detections_total", null);
        JsonObject session = newSession();
        String first = session.getString("refresh_token");
        Reply refreshed = refresh(first);
        assertEquals(200, refreshed.status(), refreshed::toString);
        assertEquals("no-store", refreshed.header("Cache-Control"));
        String second = refreshed.json().getString("refresh_token");
        assertNotEquals(first, second);
        assertEquals(subject(session), claims(refreshed.json().getString("access_token")).getString("sub"));

        assertInvalidRefresh(refresh(first));
        assertInvalidRefresh(refresh(second));
        assertEquals(refreshes + 1, server().counter("sigil_refreshes_total", null));
        assertEquals(reuses + 1, server().counter("sigil_refresh_reuse_detections_total", null));
    }

    /**
     * Sessions that end leave no rows behind once the retention (1 s here) has passed, while the
     * spent tokens of a live session stay: presenting one still revokes that session.
     */
    @Test
    void aLongRefreshLoopLeavesTheTableBoundedAndReuseStillDetected() throws InterruptedException {
        ServerEndpoints server = server();
        double purged = server.counter("sigil_refresh_tokens_purged_total", null);
        double reuses = server.counter("sigil_refresh_reuse_detections_total", null);
        JsonObject live = newSession();
        List<String> liveTokens = new ArrayList<>(List.of(live.getString("refresh_token")));
        Thread.sleep(2500);
        double storedBefore = server.counter("sigil_refresh_tokens_stored", null);
        assertTrue(storedBefore >= 1, "counted by a purge: " + storedBefore);

        int endedRows = 0;
        for (int session = 0; session < 8; session++) {
            String ended = login(email(live), PASSWORD).getString("refresh_token");
            for (int i = 0; i < 2; i++) {
                ended = refreshed(ended);
            }
            assertEquals(204, auth.post("/logout", "{\"refresh_token\":\"" + ended + "\"}").status());
            endedRows += 3;
            for (int i = 0; i < 3; i++) {
                liveTokens.add(refreshed(liveTokens.get(liveTokens.size() - 1)));
            }
        }

        // rows of earlier tests' sessions may be purged meanwhile too: wait for both figures
        double bound = storedBefore + liveTokens.size() - 1;
        double stored = Double.MAX_VALUE;
        double purgedNow = purged;
        for (int i = 0; i < 100 && (stored > bound || purgedNow < purged + endedRows); i++) {
            Thread.sleep(200);
            stored = server.counter("sigil_refresh_tokens_stored", null);
            purgedNow = server.counter("sigil_refresh_tokens_purged_total", null);
        }
        assertTrue(stored <= bound, "the ended sessions' " + endedRows + " rows are gone: " + stored + " rows, at most " + bound);
        assertTrue(purgedNow >= purged + endedRows, "purged " + (purgedNow - purged) + " rows, at least " + endedRows);

        assertInvalidRefresh(refresh(liveTokens.get(1)));
        assertInvalidRefresh(refresh(liveTokens.get(liveTokens.size() - 1)));
        assertEquals(reuses + 1, server.counter("sigil_refresh_reuse_detections_total", null),
                "a spent token of the live session was still known after " + liveTokens.size() + " refreshes");
    }

    String refreshed(String refreshToken) {
        Reply reply = refresh(refreshToken);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getString("refresh_token");
    }

    ServerEndpoints server() {
        return new ServerEndpoints(base.toString());
    }

    @Test
    void unknownAndMalformedRefreshTokensAreRejected() {
        assertInvalidRefresh(refresh("not-a-token"));
        for (String body : List.of("{}", "{\"refresh_token\":7}", "{\"refresh_token\":", "", "{\"refresh_token\":\"" + "x".repeat(300) + "\"}")) {
            Reply reply = auth.post("/refresh", body);
            assertEquals(400, reply.status(), () -> body + " -> " + reply);
        }
    }

    @Test
    void wrongTypesAndOversizedBodiesAreRefusedAndChangeNothing() {
        String email = AuthIT.uniqueEmail();
        Reply number = auth.post("/users", "{\"email\":\"" + email + "\",\"password\":123456789012345}");
        assertEquals(400, number.status(), number::toString);
        assertEquals("password: must be a JSON string", number.detail());
        Reply huge = auth.post("/users", "{\"email\":\"" + email + "\",\"password\":\"" + "p".repeat(70_000) + "\"}");
        assertEquals(413, huge.status(), huge::toString);
        assertTrue(huge.detail().startsWith("Request body too large"), huge::toString);
        assertEquals(400, auth.post("/login", "[\"" + email + "\"]").status());
        assertEquals(401, auth.post("/login", AuthIT.credentials(email, PASSWORD)).status(), "no account was created");
        assertEquals(201, auth.post("/users", AuthIT.credentials(email, PASSWORD)).status());
    }

    @Test
    void aRefreshTokenIsNeverABearerToken() {
        Reply reply = auth.get("/users/me", bearer(newSession().getString("refresh_token")));
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Invalid token", reply.detail());
    }

    @Test
    void logoutEndsTheSessionAndIsIdempotent() {
        String refreshToken = newSession().getString("refresh_token");
        String body = "{\"refresh_token\":\"" + refreshToken + "\"}";
        assertEquals(204, auth.post("/logout", body).status());
        assertInvalidRefresh(refresh(refreshToken));
        assertEquals(204, auth.post("/logout", body).status());
        assertEquals(204, auth.post("/logout", "{\"refresh_token\":\"never-issued\"}").status());
    }

    @Test
    void logoutAllEndsEverySessionOfTheCaller() {
        JsonObject one = newSession();
        JsonObject two = login(email(one), PASSWORD, "auth");
        assertEquals(401, auth.post("/logout-all", "").status(), "needs an access token");
        assertWrongAudience(auth.post("/logout-all", "", bearer(one.getString("access_token"))));
        Reply stillValid = refresh(one.getString("refresh_token"));
        assertEquals(200, stillValid.status(), "a business token ended nothing: " + stillValid);
        assertEquals(204, auth.post("/logout-all", "", bearer(two.getString("access_token"))).status());
        assertInvalidRefresh(refresh(stillValid.json().getString("refresh_token")));
        assertInvalidRefresh(refresh(two.getString("refresh_token")));
    }

    /** A token auth refuses on its own endpoints as revoked: RFC 6750 invalid_token saying so. */
    void assertRevokedAtAuth(String token) {
        Reply reply = auth.get("/users/me", bearer(token));
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Token revoked", reply.detail());
        assertEquals("Bearer realm=\"auth\", error=\"invalid_token\", error_description=\"The access token has been revoked\"",
                reply.header("WWW-Authenticate"));
    }

    void assertAcceptedAtAuth(String token) {
        Reply reply = auth.get("/users/me", bearer(token));
        assertEquals(200, reply.status(), reply::toString);
    }

    /**
     * Logout revokes the access tokens of its session only, at auth's own endpoints at once
     * (no waiting here); the user's other session and a new login are untouched.
     */
    @Test
    void logoutRevokesTheSessionsAccessTokensAtOnce() {
        double revoked = server().counter("sigil_token_rejections_total", "reason=\"revoked\"");
        JsonObject session = newSession();
        String ending = selfToken(email(session), PASSWORD);
        JsonObject endingSession = login(email(session), PASSWORD, "auth");
        assertAcceptedAtAuth(endingSession.getString("access_token"));

        assertEquals(204, auth.post("/logout", "{\"refresh_token\":\"" + endingSession.getString("refresh_token") + "\"}").status());
        assertRevokedAtAuth(endingSession.getString("access_token"));
        assertAcceptedAtAuth(ending);
        assertAcceptedAtAuth(session.getString("access_token"));
        assertEquals(revoked + 1, server().counter("sigil_token_rejections_total", "reason=\"revoked\""));
    }

    /**
     * Logout everywhere, a password change, disabling and reuse detection revoke every token
     * issued until then; a login right after, within the same second, works at once.
     */
    @Test
    void userWideRevocationsSpareTokensIssuedRightAfter() {
        JsonObject session = newSession();
        String email = email(session);
        String token = selfToken(email, PASSWORD);
        assertEquals(204, auth.post("/logout-all", "", bearer(token)).status());
        assertRevokedAtAuth(token);
        assertRevokedAtAuth(session.getString("access_token"));
        String after = selfToken(email, PASSWORD);
        assertAcceptedAtAuth(after);

        String newPassword = "another long passphrase";
        assertEquals(204, auth.send("PUT", "/users/me/password", "{\"current_password\":\"" + PASSWORD
                + "\",\"new_password\":\"" + newPassword + "\"}", bearer(after)).status());
        assertRevokedAtAuth(after);
        String afterChange = selfToken(email, newPassword);
        assertAcceptedAtAuth(afterChange);

        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        assertEquals(200, auth.post("/admin/users/" + subject(session) + "/disable", "", bearer(admin)).status());
        assertRevokedAtAuth(afterChange);
        assertEquals(200, auth.post("/admin/users/" + subject(session) + "/enable", "", bearer(admin)).status());

        JsonObject family = login(email, newPassword, "auth");
        Reply rotated = refresh(family.getString("refresh_token"), "auth");
        assertEquals(200, rotated.status(), rotated::toString);
        JsonObject other = login(email, newPassword, "auth");
        assertInvalidRefresh(refresh(family.getString("refresh_token")));
        assertRevokedAtAuth(family.getString("access_token"));
        assertRevokedAtAuth(rotated.json().getString("access_token"));
        assertAcceptedAtAuth(other.getString("access_token"));
    }

    /** Incident response: an administrator revokes every token of any account; the account stays usable. */
    @Test
    void administratorsRevokeTheTokensOfAnAccount() throws Exception {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        JsonObject session = newSession();
        String id = subject(session);
        String token = selfToken(email(session), PASSWORD);

        assertEquals(401, auth.post("/admin/users/" + id + "/revoke-tokens", "").status());
        assertEquals(403, auth.post("/admin/users/" + id + "/revoke-tokens", "", bearer(token)).status());
        Reply unknown = auth.post("/admin/users/no-such-user/revoke-tokens", "", bearer(admin));
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("User not found", unknown.detail());
        assertAcceptedAtAuth(token);

        Reply revoked = auth.post("/admin/users/" + id + "/revoke-tokens", "", bearer(admin));
        assertEquals(204, revoked.status(), revoked::toString);
        assertRevokedAtAuth(token);
        assertInvalidRefresh(refresh(session.getString("refresh_token")));
        assertAcceptedAtAuth(selfToken(email(session), PASSWORD));

        Reply feed = auth.get("/revocations");
        assertEquals(200, feed.status(), feed::toString);
        assertEquals("application/jwt", feed.header("Content-Type"));
        List<Revocation> entries = RevocationFeed.verify(feed.body(), auth.get("/.well-known/jwks.json").body());
        assertTrue(entries.stream().anyMatch(entry -> id.equals(entry.subject())), entries::toString);
    }

    /**
     * The revocation stream starts with the whole signed feed, then pushes each revocation as a
     * signed document of its own right after the revoking call, and a heartbeat every second.
     */
    @Test
    void revocationsArePushedToOpenStreamsAtOnce() throws Exception {
        String jwks = auth.get("/.well-known/jwks.json").body();
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        JsonObject session = newSession();
        String id = subject(session);
        try (EventStreamReader stream = openedStream()) {
            assertTrue(stream.header("Content-Type").startsWith("text/event-stream"), stream.header("Content-Type"));
            String first = stream.nextEvent(Duration.ofSeconds(5));
            assertNotNull(first, "the whole feed comes first");
            assertTrue(RevocationFeed.verify(first, jwks).stream().noneMatch(entry -> id.equals(entry.subject())));

            Reply revoked = auth.post("/admin/users/" + id + "/revoke-tokens", "", bearer(admin));
            long answered = System.nanoTime();
            assertEquals(204, revoked.status(), revoked::toString);
            String pushed = stream.nextEvent(Duration.ofSeconds(5));
            long ms = (System.nanoTime() - answered) / 1_000_000;
            assertNotNull(pushed, "a document pushed after the revocation");
            List<Revocation> entries = RevocationFeed.verify(pushed, jwks);
            assertEquals(List.of(id), entries.stream().map(Revocation::subject).toList(), "the new entry alone");
            assertTrue(ms < 500, "pushed " + ms + " ms after the answer");

            EventStreamReader.Item heartbeat = stream.next(Duration.ofSeconds(3));
            assertNotNull(heartbeat);
            assertTrue(heartbeat.comment(), heartbeat::toString);
        }
    }

    String streamUrl() {
        return base.toString().replaceAll("/$", "") + "/revocations/events";
    }

    /** A stream, retried for a few seconds while streams closed by earlier tests still count. */
    EventStreamReader openedStream() throws InterruptedException {
        for (int attempt = 0; attempt < 20; attempt++) {
            EventStreamReader stream = EventStreamReader.open(streamUrl());
            if (stream.status() == 200) {
                return stream;
            }
            assertEquals(503, stream.status());
            stream.close();
            Thread.sleep(500);
        }
        throw new AssertionError("no revocation stream within 10 s");
    }

    /**
     * Anyone may open a revocation stream, so there are at most as many as configured: beyond,
     * a 503 in the one error shape, also when many clients ask at once; a closed one frees its place.
     */
    @Test
    void noMoreRevocationStreamsThanAllowed() throws Exception {
        List<EventStreamReader> open = new ArrayList<>();
        try {
            for (int i = 0; i < REVOCATION_STREAMS; i++) {
                open.add(openedStream());
            }
            EventStreamReader refused = EventStreamReader.open(streamUrl());
            assertEquals(503, refused.status());
            assertTrue(refused.header("Content-Type").startsWith("application/json"), refused.header("Content-Type"));
            assertTrue(refused.body().contains("\"detail\":\"Too many revocation streams open; poll the feed\""));

            open.forEach(EventStreamReader::close);
            open.clear();
            open.add(openedStream());
            open.get(0).close();
            open.clear();
            Thread.sleep(3000); // two heartbeats: every closed stream has been dropped

            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                List<Future<EventStreamReader>> attempts = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    attempts.add(clients.submit(() -> EventStreamReader.open(streamUrl())));
                }
                for (Future<EventStreamReader> attempt : attempts) {
                    open.add(attempt.get(30, TimeUnit.SECONDS));
                }
            } finally {
                clients.shutdown();
            }
            assertEquals(REVOCATION_STREAMS, open.stream().filter(stream -> stream.status() == 200).count());
            assertEquals(8 - REVOCATION_STREAMS, open.stream().filter(stream -> stream.status() == 503).count());
        } finally {
            open.forEach(EventStreamReader::close);
        }
    }

    @Test
    void meShowsTheCallersAccountToATokenOfEitherAudience() {
        JsonObject session = newSession();
        JsonObject own = login(email(session), PASSWORD, "auth");
        for (JsonObject caller : List.of(session, own)) {
            Reply reply = auth.get("/users/me", bearer(caller.getString("access_token")));
            assertEquals(200, reply.status(), reply::toString);
            JsonObject me = reply.json();
            assertEquals(subject(session), me.getString("id"));
            assertEquals(email(session), me.getString("email"));
            assertEquals(List.of("user"), me.getJsonArray("groups").getValuesAs(JsonString::getString));
            assertTrue(me.containsKey("created_at"));
        }

        Reply none = auth.get("/users/me");
        assertEquals(401, none.status(), none::toString);
        assertEquals("Bearer realm=\"auth\"", none.header("WWW-Authenticate"));
        Reply forged = auth.get("/users/me", bearer(session.getString("access_token") + "x"));
        assertEquals(401, forged.status(), forged::toString);
        assertEquals("Invalid token", forged.detail());
    }

    @Test
    void changingThePasswordEndsAllSessions() {
        JsonObject session = newSession();
        String email = email(session);
        String token = selfToken(email, PASSWORD);
        String newPassword = "a different passphrase";

        assertWrongAudience(auth.send("PUT", "/users/me/password", "{\"current_password\":\"" + PASSWORD
                + "\",\"new_password\":\"" + newPassword + "\"}", bearer(session.getString("access_token"))));

        Reply wrong = auth.send("PUT", "/users/me/password",
                "{\"current_password\":\"wrong password!\",\"new_password\":\"" + newPassword + "\"}", bearer(token));
        assertEquals(403, wrong.status(), wrong::toString);
        Reply tooShort = auth.send("PUT", "/users/me/password",
                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"short\"}", bearer(token));
        assertEquals(400, tooShort.status(), tooShort::toString);
        assertEquals(200, auth.post("/login", AuthIT.credentials(email, PASSWORD)).status(), "nothing changed yet");

        Reply changed = auth.send("PUT", "/users/me/password",
                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + newPassword + "\"}", bearer(token));
        assertEquals(204, changed.status(), changed::toString);
        assertInvalidRefresh(refresh(session.getString("refresh_token")));
        assertEquals(401, auth.post("/login", AuthIT.credentials(email, PASSWORD)).status());
        login(email, newPassword);
    }

    @Test
    void administratorsManageAccounts() {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        JsonObject user = newSession();
        String id = subject(user);

        Reply list = auth.get("/admin/users?size=100", bearer(admin));
        assertEquals(200, list.status(), list::toString);
        assertTrue(list.json().getInt("total") >= 2);

        Reply disabled = auth.post("/admin/users/" + id + "/disable", "", bearer(admin));
        assertEquals(200, disabled.status(), disabled::toString);
        assertEquals(false, disabled.json().getBoolean("enabled"));
        assertInvalidRefresh(refresh(user.getString("refresh_token")));
        Reply login = auth.post("/login", AuthIT.credentials(email(user), PASSWORD));
        assertEquals(401, login.status());
        assertEquals("Invalid credentials", login.detail());

        assertEquals(200, auth.post("/admin/users/" + id + "/enable", "", bearer(admin)).status());
        assertEquals(List.of("user"), groups(login(email(user), PASSWORD)));

        assertEquals(200, auth.send("PUT", "/admin/users/" + id + "/admin", null, bearer(admin)).status());
        assertEquals(List.of("admin", "user"), groups(login(email(user), PASSWORD)));
        assertEquals(200, auth.send("DELETE", "/admin/users/" + id + "/admin", null, bearer(admin)).status());
        assertEquals(List.of("user"), groups(login(email(user), PASSWORD)));

        assertEquals(404, auth.post("/admin/users/no-such-user/disable", "", bearer(admin)).status());
        assertEquals(400, auth.get("/admin/users?size=0", bearer(admin)).status());
        Reply self = auth.post("/admin/users/" + claims(admin).getString("sub") + "/disable", "", bearer(admin));
        assertEquals(409, self.status(), self::toString);
    }

    @Test
    void administrationIsForAdministratorsOnly() {
        String user = selfToken(email(newSession()), PASSWORD);
        Reply forbidden = auth.get("/admin/users", bearer(user));
        assertEquals(403, forbidden.status(), forbidden::toString);
        assertEquals("Forbidden", forbidden.detail());
        assertEquals(403, auth.post("/admin/users/" + claims(user).getString("sub") + "/disable", "", bearer(user)).status());
        Reply none = auth.get("/admin/users");
        assertEquals(401, none.status(), none::toString);
    }

    /**
     * A business token of an administrator opens no administration endpoint, and is told it is
     * the wrong token (401) before the group is checked; the same administrator's token for auth
     * opens them all.
     */
    @Test
    void administrationNeedsATokenForAuthEvenFromAnAdministrator() {
        String business = login(ADMIN_EMAIL, ADMIN_PASSWORD).getString("access_token");
        assertEquals(List.of("business"), audience(business));
        String id = subject(newSession());
        assertWrongAudience(auth.get("/admin/users", bearer(business)));
        assertWrongAudience(auth.post("/admin/users/" + id + "/disable", "", bearer(business)));
        assertWrongAudience(auth.send("PUT", "/admin/users/" + id + "/admin", null, bearer(business)));
        assertWrongAudience(auth.get("/admin/keys", bearer(business)));
        assertWrongAudience(auth.post("/admin/keys/rotate", "", bearer(business)));
        Reply account = auth.get("/admin/users?size=100", bearer(selfToken(ADMIN_EMAIL, ADMIN_PASSWORD)));
        assertEquals(200, account.status(), account::toString);
        assertTrue(account.json().getJsonArray("users").stream().map(JsonValue::asJsonObject)
                .anyMatch(user -> user.getString("id").equals(id) && user.getBoolean("enabled")
                        && user.getJsonArray("groups").size() == 1), "the business token changed nothing");
    }

    @Test
    void aRefreshTokenBuysATokenForWhicheverAudienceIsNamed() {
        JsonObject session = newSession();
        assertEquals(List.of("business"), audience(session.getString("access_token")), "a login naming none");
        Reply forAuth = refresh(session.getString("refresh_token"), "auth");
        assertEquals(200, forAuth.status(), forAuth::toString);
        assertEquals(List.of("auth"), audience(forAuth.json().getString("access_token")));
        assertEquals(204, auth.post("/logout-all", "", bearer(forAuth.json().getString("access_token"))).status(),
                "a refreshed token for auth opens auth's endpoints");
        assertInvalidRefresh(refresh(forAuth.json().getString("refresh_token"), "business"));

        JsonObject own = login(email(session), PASSWORD, "auth");
        assertEquals(List.of("auth"), audience(own.getString("access_token")));
        Reply forBusiness = refresh(own.getString("refresh_token"), "business");
        assertEquals(200, forBusiness.status(), forBusiness::toString);
        assertEquals(List.of("business"), audience(forBusiness.json().getString("access_token")));
        Reply unnamed = refresh(forBusiness.json().getString("refresh_token"));
        assertEquals(200, unnamed.status(), unnamed::toString);
        assertEquals(List.of("business"), audience(unnamed.json().getString("access_token")), "a refresh naming none");
    }

    @Test
    void anAudienceNotConfiguredIsABadRequestThatSpendsNothing() {
        JsonObject session = newSession();
        for (String unknown : List.of("billing", "", "AUTH", "auth business")) {
            Reply refused = refresh(session.getString("refresh_token"), unknown);
            assertEquals(400, refused.status(), refused::toString);
            assertEquals("audience: must be one of auth, business", refused.detail());
            assertEquals(List.of("must be one of auth, business"),
                    refused.json().getJsonObject("errors").getJsonArray("audience").getValuesAs(JsonString::getString));
        }
        assertEquals(200, refresh(session.getString("refresh_token")).status(), "the refresh token was not spent");

        String email = email(session);
        for (int i = 0; i < 6; i++) {
            Reply login = auth.post("/login", AuthIT.credentials(email, "wrong password " + i, "billing"));
            assertEquals(400, login.status(), login::toString);
            assertEquals(List.of("must be one of auth, business"),
                    login.json().getJsonObject("errors").getJsonArray("audience").getValuesAs(JsonString::getString));
        }
        assertEquals(200, auth.post("/login", AuthIT.credentials(email, PASSWORD)).status(),
                "refused before the password was checked, so no failure counted towards the lockout");
        Reply wrongType = auth.post("/login", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"audience\":[\"auth\"]}");
        assertEquals(400, wrongType.status(), wrongType::toString);
        assertEquals("audience: must be a JSON string", wrongType.detail());
    }

    // admin power is what the database says now, not what a token said when it was issued

    /** A new account, promoted by the configured administrator, logged in after the promotion. */
    JsonObject newAdministrator() {
        JsonObject session = newSession();
        Reply granted = auth.send("PUT", "/admin/users/" + subject(session) + "/admin", null, bearer(opsToken()));
        assertEquals(200, granted.status(), granted::toString);
        return login(email(session), PASSWORD, "auth");
    }

    String opsToken() {
        return selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** Refused: 403 from the account check, or 401 where disabling or demoting also revoked the token. */
    static void assertRefusedAdmin(Reply reply) {
        if (reply.status() == 401) {
            assertEquals("Token revoked", reply.detail(), reply::toString);
        } else {
            assertForbidden(reply);
        }
    }

    static void assertForbidden(Reply reply) {
        assertEquals(403, reply.status(), reply::toString);
        assertEquals("Forbidden", reply.detail());
        assertTrue(reply.header("WWW-Authenticate").contains("error=\"insufficient_scope\""), reply::toString);
    }

    /** Every admin endpoint, called with this token. */
    void assertNoAdminPower(String token, String ownId) {
        assertEquals(List.of("admin", "user"), claims(token).getJsonArray("groups").getValuesAs(JsonString::getString),
                "the token still says admin");
        assertRefusedAdmin(auth.get("/admin/users", bearer(token)));
        assertRefusedAdmin(auth.post("/admin/users/" + ownId + "/enable", "", bearer(token)));
        assertRefusedAdmin(auth.send("PUT", "/admin/users/" + ownId + "/admin", null, bearer(token)));
        assertRefusedAdmin(auth.post("/admin/users/" + subject(newSession()) + "/disable", "", bearer(token)));
        assertRefusedAdmin(auth.send("DELETE", "/admin/users/" + claims(opsToken()).getString("sub") + "/admin", null,
                bearer(token)));
        assertRefusedAdmin(auth.get("/admin/keys", bearer(token)));
        assertRefusedAdmin(auth.post("/admin/keys/rotate", "", bearer(token)));
    }

    @Test
    void aDisabledAdministratorsTokenHasNoAdminPower() {
        JsonObject admin = newAdministrator();
        String id = subject(admin);
        assertEquals(200, auth.get("/admin/users", bearer(admin.getString("access_token"))).status());
        assertEquals(200, auth.post("/admin/users/" + id + "/disable", "", bearer(opsToken())).status());
        assertNoAdminPower(admin.getString("access_token"), id);
        assertInvalidRefresh(refresh(admin.getString("refresh_token")));
    }

    @Test
    void aDemotedAdministratorsTokenHasNoAdminPowerAndItsSessionsEnd() {
        JsonObject admin = newAdministrator();
        String id = subject(admin);
        assertEquals(200, auth.get("/admin/keys", bearer(admin.getString("access_token"))).status());
        Reply demoted = auth.send("DELETE", "/admin/users/" + id + "/admin", null, bearer(opsToken()));
        assertEquals(200, demoted.status(), demoted::toString);
        assertNoAdminPower(admin.getString("access_token"), id);
        assertInvalidRefresh(refresh(admin.getString("refresh_token")));
        assertEquals(List.of("user"), groups(login(email(admin), PASSWORD)), "still a user");
    }

    @Test
    void administratorsCannotEnableOrPromoteThemselves() {
        String token = opsToken();
        String self = claims(token).getString("sub");
        Reply enable = auth.post("/admin/users/" + self + "/enable", "", bearer(token));
        assertEquals(409, enable.status(), enable::toString);
        assertEquals("Administrators cannot enable themselves", enable.detail());
        Reply promote = auth.send("PUT", "/admin/users/" + self + "/admin", null, bearer(token));
        assertEquals(409, promote.status(), promote::toString);
        assertEquals("Administrators cannot grant themselves the admin group", promote.detail());
        Reply demote = auth.send("DELETE", "/admin/users/" + self + "/admin", null, bearer(token));
        assertEquals(409, demote.status(), demote::toString);
    }

    @Test
    void twoAdministratorsDemotingEachOtherAtOnceLeaveOne() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            assertOneAdministratorSurvives("DELETE", "/admin");
        }
    }

    @Test
    void twoAdministratorsDisablingEachOtherAtOnceLeaveOne() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            assertOneAdministratorSurvives("POST", "/disable");
        }
    }

    /**
     * Makes two new administrators the only enabled ones, lets each take the other's power at
     * the same moment, and restores the configured administrator afterwards.
     */
    void assertOneAdministratorSurvives(String method, String action) throws Exception {
        JsonObject one = newAdministrator();
        JsonObject two = newAdministrator();
        String ops = claims(opsToken()).getString("sub");
        for (String other : activeAdministrators(one.getString("access_token"))) {
            if (!other.equals(subject(one)) && !other.equals(subject(two))) {
                Reply demoted = auth.send("DELETE", "/admin/users/" + other + "/admin", null, bearer(one.getString("access_token")));
                assertEquals(200, demoted.status(), demoted::toString);
            }
        }
        String survivor = null;
        try {
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            Future<Reply> first = threads.submit(() -> takePower(start, one, two, method, action));
            Future<Reply> second = threads.submit(() -> takePower(start, two, one, method, action));
            start.countDown();
            List<Reply> replies = List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
            threads.shutdown();
            assertEquals(1, replies.stream().filter(reply -> reply.status() == 200).count(), replies::toString);
            Reply refused = replies.stream().filter(reply -> reply.status() != 200).findFirst().orElseThrow();
            if (refused.status() == 409) {
                assertEquals("The last enabled administrator cannot be disabled or demoted", refused.detail());
            } else {
                assertRefusedAdmin(refused);
            }
            survivor = replies.get(0).status() == 200 ? one.getString("access_token") : two.getString("access_token");
            assertEquals(List.of(claims(survivor).getString("sub")), activeAdministrators(survivor));
        } finally {
            String restorer = survivor != null ? survivor : one.getString("access_token");
            auth.send("PUT", "/admin/users/" + ops + "/admin", null, bearer(restorer));
            for (String other : List.of(subject(one), subject(two))) {
                auth.send("DELETE", "/admin/users/" + other + "/admin", null, bearer(opsToken()));
            }
        }
    }

    Reply takePower(CountDownLatch start, JsonObject caller, JsonObject target, String method, String action)
            throws InterruptedException {
        HttpJson client = new HttpJson(base.toString(), HttpClient.Version.HTTP_1_1);
        start.await();
        return client.send(method, "/admin/users/" + subject(target) + action, null, bearer(caller.getString("access_token")));
    }

    /** The ids of the enabled accounts in group admin, read page by page. */
    List<String> activeAdministrators(String token) {
        List<String> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            Reply reply = auth.get("/admin/users?size=100&page=" + page, bearer(token));
            assertEquals(200, reply.status(), reply::toString);
            List<JsonObject> users = reply.json().getJsonArray("users").getValuesAs(JsonObject.class);
            users.stream().filter(user -> user.getBoolean("enabled")
                    && user.getJsonArray("groups").getValuesAs(JsonString::getString).contains("admin"))
                    .forEach(user -> ids.add(user.getString("id")));
            if (users.size() < 100) {
                return ids;
            }
        }
    }

    @Test
    void repeatedFailuresLockTheAccountWithoutRevealingWhetherItExists() {
        double throttled = server().counter("sigil_logins_total", "outcome=\"throttled\"");
        JsonObject session = newSession();
        String known = email(session);
        String unknown = AuthIT.uniqueEmail();
        for (String email : List.of(known, unknown)) {
            for (int i = 1; i <= 5; i++) {
                Reply reply = auth.post("/login", AuthIT.credentials(email, "wrong password " + i));
                assertEquals(401, reply.status(), reply::toString);
                assertEquals("Invalid credentials", reply.detail());
            }
            Reply locked = auth.post("/login", AuthIT.credentials(email, PASSWORD));
            assertEquals(429, locked.status(), "locked even with the right password: " + locked);
            assertEquals("Too many failed logins; try again later", locked.detail());
            long retryAfter = Long.parseLong(locked.header("Retry-After"));
            assertTrue(retryAfter > 50 && retryAfter <= 61, "Retry-After " + retryAfter);
        }
        assertEquals(200, auth.post("/login", AuthIT.credentials(email(newSession()), PASSWORD)).status(),
                "other accounts are not affected");
        assertEquals(throttled + 2, server().counter("sigil_logins_total", "outcome=\"throttled\""));
    }

    @Test
    void aSuccessfulLoginResetsTheAccountCount() {
        String email = email(newSession());
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(401, auth.post("/login", AuthIT.credentials(email, "wrong password!")).status());
            }
            assertEquals(200, auth.post("/login", AuthIT.credentials(email, PASSWORD)).status());
        }
    }

    @Test
    void administratorsSeeAndRotateTheSigningKeys() throws Exception {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        String signing = kid(admin);
        Reply keys = auth.get("/admin/keys", bearer(admin));
        assertEquals(200, keys.status(), keys::toString);
        assertTrue(keys.json().getJsonArray("keys").stream().map(JsonValue::asJsonObject)
                .anyMatch(key -> key.getString("kid").equals(signing) && key.getString("state").equals("active")));

        double rotations = server().counter("sigil_key_rotations_total", null);
        Reply rotated = auth.post("/admin/keys/rotate?algorithm=ES256", "", bearer(admin));
        assertEquals(202, rotated.status(), rotated::toString);
        assertEquals(rotations + 1, server().counter("sigil_key_rotations_total", null));
        JsonObject next = rotated.json();
        assertEquals("published", next.getString("state"));
        assertEquals("ES256", next.getString("alg"));
        assertTrue(Instant.parse(next.getString("activates_at")).isAfter(Instant.now().plusSeconds(60)),
                "it signs only after consumers could fetch it");
        assertTrue(auth.get("/.well-known/jwks.json").body().contains(next.getString("kid")), "published at once");
        assertEquals(signing, kid(login(ADMIN_EMAIL, ADMIN_PASSWORD).getString("access_token")), "the old key still signs");

        assertEquals(400, auth.post("/admin/keys/rotate?algorithm=HS256", "", bearer(admin)).status());
        String user = selfToken(email(newSession()), PASSWORD);
        assertEquals(403, auth.get("/admin/keys", bearer(user)).status());
        assertEquals(403, auth.post("/admin/keys/rotate", "", bearer(user)).status());
        assertEquals(401, auth.get("/admin/keys").status());
    }

    private static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[0]), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(header)).readObject().getString("kid");
    }

    // sessions ended while their chains refresh in tight loops

    static final int CHAINS = 4;
    static final int ROUNDS = 3;

    @Test
    void logoutAllEndsChainsThatAreRefreshingAtThatMoment() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            JsonObject session = newSession();
            String token = selfToken(email(session), PASSWORD);
            assertRevocationStopsEveryChain(chains(session), () -> {
                Reply reply = auth.post("/logout-all", "", bearer(token));
                assertEquals(204, reply.status(), reply::toString);
            });
        }
    }

    @Test
    void aPasswordChangeEndsChainsThatAreRefreshingAtThatMoment() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            JsonObject session = newSession();
            String token = selfToken(email(session), PASSWORD);
            assertRevocationStopsEveryChain(chains(session), () -> {
                Reply reply = auth.send("PUT", "/users/me/password", "{\"current_password\":\"" + PASSWORD
                        + "\",\"new_password\":\"another passphrase " + UUID.randomUUID() + "\"}",
                        bearer(token));
                assertEquals(204, reply.status(), reply::toString);
            });
        }
    }

    @Test
    void reuseDetectionEndsChainsThatAreRefreshingAtThatMoment() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            List<String> chains = chains(newSession());
            assertRevocationStopsEveryChain(chains, () -> chains.forEach(spent -> assertInvalidRefresh(refresh(spent))));
        }
    }

    /** The refresh tokens of {@link #CHAINS} logins of one user, the given session's first. */
    List<String> chains(JsonObject session) {
        List<String> chains = new ArrayList<>(List.of(session.getString("refresh_token")));
        while (chains.size() < CHAINS) {
            chains.add(login(email(session), PASSWORD).getString("refresh_token"));
        }
        return chains;
    }

    /**
     * Refreshes each chain in a tight loop on its own thread and connection until it is refused;
     * once every chain has rotated a few times, {@code revoke} ends them (the chains' first tokens
     * are spent by then). No refresh sent after {@code revoke} returned may succeed, and each
     * chain must end with 401, never a 5xx.
     */
    void assertRevocationStopsEveryChain(List<String> chains, Runnable revoke) throws Exception {
        AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
        CountDownLatch rotated = new CountDownLatch(chains.size());
        ExecutorService threads = Executors.newFixedThreadPool(chains.size());
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (String first : chains) {
                outcomes.add(threads.submit(() -> {
                    HttpJson client = new HttpJson(base.toString(), HttpClient.Version.HTTP_1_1);
                    String token = first;
                    try {
                        for (int refreshes = 0; refreshes < 2_000; refreshes++) {
                            long sentAt = System.nanoTime();
                            Reply reply = client.post("/refresh", "{\"refresh_token\":\"" + token + "\"}");
                            if (reply.status() != 200) {
                                return reply.status() == 401 ? null : "refused with " + reply;
                            }
                            if (sentAt > revokedAt.get()) {
                                return "refreshed (rotation " + refreshes + ") after the revoking call answered";
                            }
                            token = reply.json().getString("refresh_token");
                            if (refreshes == 2) {
                                rotated.countDown();
                            }
                        }
                        return "never refused";
                    } finally {
                        rotated.countDown();
                    }
                }));
            }
            assertTrue(rotated.await(60, TimeUnit.SECONDS), "every chain rotates");
            revoke.run();
            revokedAt.set(System.nanoTime());
            for (Future<String> outcome : outcomes) {
                assertNull(outcome.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Runs last: once the test's address is locked, no login from it succeeds for a minute. */
    @Test
    @Order(Integer.MAX_VALUE)
    void manyFailuresFromOneAddressLockTheAddress() {
        String victim = email(newSession());
        int attempts = 0;
        Reply reply;
        do {
            attempts++;
            reply = auth.post("/login", AuthIT.credentials(AuthIT.uniqueEmail(), "guessing " + attempts));
        } while (reply.status() == 401 && attempts <= ADDRESS_FAILURES);
        assertEquals(429, reply.status(), "after " + attempts + " failures with distinct emails: " + reply);
        assertTrue(attempts <= ADDRESS_FAILURES + 1);
        Reply blocked = auth.post("/login", AuthIT.credentials(victim, PASSWORD));
        assertEquals(429, blocked.status(), "every login from the locked address waits: " + blocked);
        assertTrue(Long.parseLong(blocked.header("Retry-After")) > 0);
        // a proxy's X-Forwarded-For that holds no address does not make the client someone else
        Reply forged = auth.post("/login", AuthIT.credentials(victim, PASSWORD), "X-Forwarded-For", "unknown");
        assertEquals(429, forged.status(), "X-Forwarded-For without an address: " + forged);
    }

    // ---- throttling: every request below names its client address, so tests do not share counts

    @Test
    void concurrentGuessesGetNoMorePasswordChecksThanTheAccountLockAllows() throws Exception {
        String victim = email(newSession());
        String guesser = someAddress();
        double failed = server().counter("sigil_logins_total", "outcome=\"failed\"");
        double throttled = server().counter("sigil_logins_total", "outcome=\"throttled\"");
        HttpJson http11 = new HttpJson(base.toString(), HttpClient.Version.HTTP_1_1);
        int guesses = 24;
        ExecutorService pool = Executors.newFixedThreadPool(guesses);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < guesses; i++) {
                String guess = AuthIT.credentials(victim, "concurrent guess " + i);
                replies.add(pool.submit(() -> {
                    start.await();
                    return http11.post("/login", guess, from(guesser));
                }));
            }
            start.countDown();
            int wrong = 0;
            for (Future<Reply> future : replies) {
                Reply reply = future.get();
                if (reply.status() == 401) {
                    wrong++;
                } else {
                    assertEquals(429, reply.status(), reply::toString);
                    assertTrue(Long.parseLong(reply.header("Retry-After")) >= 1, reply::toString);
                }
            }
            assertTrue(wrong <= 5, wrong + " guesses were checked");
            // each checked guess is one failed login, and so one password hash
            assertEquals(failed + wrong, server().counter("sigil_logins_total", "outcome=\"failed\""));
            assertEquals(throttled + guesses - wrong, server().counter("sigil_logins_total", "outcome=\"throttled\""));
        } finally {
            pool.shutdownNow();
        }
        Reply locked = auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(guesser));
        assertEquals(429, locked.status(), "the guesser's address is locked out of the account: " + locked);
        Reply owner = auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(someAddress()));
        assertEquals(200, owner.status(), "the owner, from an address that never failed: " + owner);
    }

    @Test
    void theCeilingCapsGuessingFromManyAddressesAndAnAdministratorLiftsIt() {
        JsonObject session = newSession();
        String victim = email(session);
        String home = someAddress();
        assertEquals(200, auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(home)).status());
        for (int address = 0; address < ACCOUNT_CEILING / 5; address++) {
            String guesser = someAddress();
            for (int i = 0; i < 5; i++) {
                Reply guess = auth.post("/login", AuthIT.credentials(victim, "spread guess " + i), from(guesser));
                assertEquals(401, guess.status(), guess::toString);
            }
        }
        Reply capped = auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(someAddress()));
        assertEquals(429, capped.status(), "a new address, even with the right password: " + capped);
        assertTrue(Long.parseLong(capped.header("Retry-After")) > 50, capped::toString);
        assertEquals(200, auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(home)).status(),
                "the owner's address, from which the account logged in before");

        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        Reply unlocked = auth.post("/admin/users/" + subject(session) + "/unlock", "", bearer(admin));
        assertEquals(200, unlocked.status(), unlocked::toString);
        assertEquals(victim, unlocked.json().getString("email"));
        assertEquals(200, auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(someAddress())).status());
    }

    @Test
    void unlockingIsForAdministratorsAndClearsEveryAddress() {
        JsonObject session = newSession();
        String victim = email(session);
        String id = subject(session);
        String guesser = someAddress();
        for (int i = 0; i < 5; i++) {
            assertEquals(401, auth.post("/login", AuthIT.credentials(victim, "guess " + i), from(guesser)).status());
        }
        assertEquals(429, auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(guesser)).status());

        Reply none = auth.post("/admin/users/" + id + "/unlock", "");
        assertEquals(401, none.status(), none::toString);
        Reply user = auth.post("/admin/users/" + id + "/unlock", "", bearer(selfToken(victim, PASSWORD)));
        assertEquals(403, user.status(), user::toString);
        assertEquals(429, auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(guesser)).status(), "still locked");

        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        Reply unknown = auth.post("/admin/users/no-such-user/unlock", "", bearer(admin));
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("User not found", unknown.detail());
        Reply unlocked = auth.post("/admin/users/" + id + "/unlock", "", bearer(admin));
        assertEquals(200, unlocked.status(), unlocked::toString);
        assertEquals(id, unlocked.json().getString("id"));
        assertTrue(unlocked.json().getBoolean("enabled"));
        assertEquals(200, auth.post("/login", AuthIT.credentials(victim, PASSWORD), from(guesser)).status(),
                "the address that was locked out of the account");
    }

    @Test
    void theOpenApiDocumentNamesTheUnlockAndEveryThrottledAnswer() {
        JsonObject api = server().openApi();
        JsonObject unlock = ServerEndpoints.operation(api, "/admin/users/{id}/unlock", "post");
        assertTrue(unlock.getJsonObject("responses").keySet().containsAll(List.of("200", "401", "403", "404")),
                unlock::toString);
        assertEquals("bearer", unlock.getJsonArray("security").getJsonObject(0).keySet().iterator().next());
        for (String[] operation : List.of(new String[] {"/login", "post"}, new String[] {"/users", "post"},
                new String[] {"/users/me/password", "put"})) {
            JsonObject throttled = ServerEndpoints.operation(api, operation[0], operation[1]);
            assertTrue(throttled.getJsonObject("responses").containsKey("429"), throttled::toString);
        }
    }

    @Test
    void theCurrentPasswordOfAPasswordChangeIsThrottledLikeALogin() {
        JsonObject session = newSession();
        String email = email(session);
        String[] caller = from(someAddress(), bearer(selfToken(email, PASSWORD)));
        for (int i = 0; i < 5; i++) {
            Reply wrong = auth.send("PUT", "/users/me/password", "{\"current_password\":\"wrong guess " + i
                    + "\",\"new_password\":\"a different passphrase\"}", caller);
            assertEquals(403, wrong.status(), wrong::toString);
        }
        Reply locked = auth.send("PUT", "/users/me/password", "{\"current_password\":\"" + PASSWORD
                + "\",\"new_password\":\"a different passphrase\"}", caller);
        assertEquals(429, locked.status(), "locked even with the right current password: " + locked);
        assertTrue(Long.parseLong(locked.header("Retry-After")) > 50, locked::toString);
        assertEquals(429, auth.post("/login", AuthIT.credentials(email, PASSWORD), caller[0], caller[1]).status(),
                "the same lockout as logins");
        assertEquals(200, auth.post("/login", AuthIT.credentials(email, PASSWORD), from(someAddress())).status());
    }

    @Test
    void registrationsAreLimitedPerClientAddress() {
        String address = someAddress();
        String taken = AuthIT.uniqueEmail();
        assertEquals(201, auth.post("/users", AuthIT.credentials(taken, PASSWORD), from(address)).status());
        assertEquals(409, auth.post("/users", AuthIT.credentials(taken, PASSWORD), from(address)).status());
        for (int i = 2; i < REGISTRATIONS_PER_MINUTE; i++) {
            assertEquals(201, auth.post("/users", AuthIT.credentials(AuthIT.uniqueEmail(), PASSWORD), from(address)).status());
        }
        String refusedEmail = AuthIT.uniqueEmail();
        Reply refused = auth.post("/users", AuthIT.credentials(refusedEmail, PASSWORD), from(address));
        assertEquals(429, refused.status(), refused::toString);
        assertEquals("Too many registrations from this address; try again later", refused.detail());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 61, refused::toString);
        assertEquals(401, auth.post("/login", AuthIT.credentials(refusedEmail, PASSWORD)).status(), "nothing created");
        assertEquals(201, auth.post("/users", AuthIT.credentials(refusedEmail, PASSWORD), from(someAddress())).status());
    }

    /** Without the hash before the lookup a 409 came back in about 2 % of the time of a 201. */
    @Test
    void aTakenEmailTakesAsLongToRefuseAsANewOneToRegister() {
        String taken = email(newSession());
        int samples = 6;
        long[] created = new long[samples];
        long[] conflicts = new long[samples];
        for (int i = 0; i < samples; i++) {
            String address = someAddress();
            long start = System.nanoTime();
            assertEquals(201, auth.post("/users", AuthIT.credentials(AuthIT.uniqueEmail(), PASSWORD), from(address)).status());
            created[i] = System.nanoTime() - start;
            start = System.nanoTime();
            assertEquals(409, auth.post("/users", AuthIT.credentials(taken, PASSWORD), from(address)).status());
            conflicts[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(created);
        java.util.Arrays.sort(conflicts);
        double ratio = (double) conflicts[samples / 2] / created[samples / 2];
        assertTrue(ratio > 0.5 && ratio < 2, "median 409 / median 201 = " + ratio);
    }

    private static List<String> groups(JsonObject session) {
        return claims(session.getString("access_token")).getJsonArray("groups").getValuesAs(JsonString::getString);
    }
}
