package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.JwtParts;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import dev.sigil.testkit.TestUsers;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Sessions, against the deployed WAR: refresh with rotation and reuse detection, logout,
 * refresh tokens for either audience, and sessions ended while their chains refresh in tight
 * loops.
 */
interface SessionsTests extends DeployedAuth {

    /** Logins per user whose refresh chains run at once. */
    int CHAINS = 4;

    @Test
    default void loginAlsoReturnsARefreshToken() {
        JsonObject session = newSession();
        assertTrue(session.getString("refresh_token").length() >= 43, "at least 256 random bits");
        assertEquals(86400, session.getInt("refresh_expires_in"));
    }

    @Test
    default void aRefreshTokenIsStoredOnlyAsItsHash() throws Exception {
        String token = newSession().getString("refresh_token");
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, AuthDatabase.number("SELECT COUNT(*) FROM sigil_refresh_token WHERE token_hash = ?", hash));
        assertEquals(
                0,
                AuthDatabase.number(
                        "SELECT COUNT(*) FROM sigil_refresh_token WHERE token_hash = ? OR id = ? OR family_id = ?",
                        token,
                        token,
                        token),
                "the token itself is in no column");
    }

    @Test
    default void refreshRotatesAndReuseRevokesTheFamily() {
        double refreshes = server().counter("sigil_refreshes_total", null);
        double reuses = server().counter("sigil_refresh_reuse_detections_total", null);
        JsonObject session = newSession();
        String first = session.getString("refresh_token");
        Reply refreshed = refresh(first);
        assertEquals(200, refreshed.status(), refreshed::toString);
        assertEquals("no-store", refreshed.header("Cache-Control"));
        String second = refreshed.json().getString("refresh_token");
        assertNotEquals(first, second);
        assertEquals(
                subject(session),
                claims(refreshed.json().getString("access_token")).getString("sub"));

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
    default void aLongRefreshLoopLeavesTheTableBoundedAndReuseStillDetected() throws InterruptedException {
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
            assertEquals(
                    204,
                    auth().post("/logout", "{\"refresh_token\":\"" + ended + "\"}")
                            .status());
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
        assertTrue(
                stored <= bound,
                "the ended sessions' " + endedRows + " rows are gone: " + stored + " rows, at most " + bound);
        assertTrue(purgedNow >= purged + endedRows, "purged " + (purgedNow - purged) + " rows, at least " + endedRows);

        assertInvalidRefresh(refresh(liveTokens.get(1)));
        assertInvalidRefresh(refresh(liveTokens.get(liveTokens.size() - 1)));
        assertEquals(
                reuses + 1,
                server.counter("sigil_refresh_reuse_detections_total", null),
                "a spent token of the live session was still known after " + liveTokens.size() + " refreshes");
    }

    @Test
    default void unknownAndMalformedRefreshTokensAreRejected() {
        assertInvalidRefresh(refresh("not-a-token"));
        for (String body : List.of(
                "{}",
                "{\"refresh_token\":7}",
                "{\"refresh_token\":",
                "",
                "{\"refresh_token\":\"" + "x".repeat(300) + "\"}")) {
            Reply reply = auth().post("/refresh", body);
            assertEquals(400, reply.status(), () -> body + " -> " + reply);
        }
    }

    @Test
    default void aRefreshTokenIsNeverABearerToken() {
        Reply reply = auth().get("/users/me", bearer(newSession().getString("refresh_token")));
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Invalid token", reply.detail());
    }

    @Test
    default void logoutEndsTheSessionAndIsIdempotent() {
        String refreshToken = newSession().getString("refresh_token");
        String body = "{\"refresh_token\":\"" + refreshToken + "\"}";
        assertEquals(204, auth().post("/logout", body).status());
        assertInvalidRefresh(refresh(refreshToken));
        assertEquals(204, auth().post("/logout", body).status());
        assertEquals(
                204,
                auth().post("/logout", "{\"refresh_token\":\"never-issued\"}").status());
    }

    /**
     * An ended session is revoked once: logging out again, or replaying its spent token, as
     * often as anyone likes, adds nothing to the revocation feed (which anyone could otherwise
     * grow with one refresh token and no credentials).
     */
    @Test
    default void anEndedSessionIsRevokedOnceHoweverOftenItIsEndedAgain() {
        JsonObject session = newSession();
        String sid = claims(session.getString("access_token")).getString("sid");
        String first = session.getString("refresh_token");
        Reply refreshed = refresh(first);
        assertEquals(200, refreshed.status(), refreshed::toString);
        String second = refreshed.json().getString("refresh_token");
        String revocations = "SELECT COUNT(*) FROM sigil_token_revocation WHERE session_id = ?";
        assertEquals(0, AuthDatabase.number(revocations, sid));
        assertInvalidRefresh(refresh(first)); // reuse: the session ends
        assertEquals(1, AuthDatabase.number(revocations, sid));
        for (int i = 0; i < 5; i++) {
            assertInvalidRefresh(refresh(first));
            assertEquals(
                    204,
                    auth().post("/logout", "{\"refresh_token\":\"" + second + "\"}")
                            .status());
        }
        assertEquals(1, AuthDatabase.number(revocations, sid), "revoked once");
    }

    /**
     * A refresh reads the account again: disabled in the database, past the API (which would
     * also have revoked the sessions), the session refreshes no more, and stays ended when the
     * account is enabled again.
     */
    @Test
    default void aRefreshReChecksTheAccountItself() {
        JsonObject session = newSession();
        String user = JwtParts.claims(session.getString("access_token")).getString("sub");
        Reply before = refresh(session.getString("refresh_token"));
        assertEquals(200, before.status(), before::toString);
        String token = before.json().getString("refresh_token");
        try {
            assertEquals(1, AuthDatabase.update("UPDATE sigil_user SET enabled = FALSE WHERE id = ?", user));
            assertInvalidRefresh(refresh(token));
        } finally {
            AuthDatabase.update("UPDATE sigil_user SET enabled = TRUE WHERE id = ?", user);
        }
        assertInvalidRefresh(refresh(token));
    }

    @Test
    default void logoutAllEndsEverySessionOfTheCaller() {
        JsonObject one = newSession();
        JsonObject two = login(email(one), PASSWORD, "auth");
        assertEquals(401, auth().post("/logout-all", "").status(), "needs an access token");
        assertWrongAudience(auth().post("/logout-all", "", bearer(one.getString("access_token"))));
        Reply stillValid = refresh(one.getString("refresh_token"));
        assertEquals(200, stillValid.status(), "a business token ended nothing: " + stillValid);
        assertEquals(
                204,
                auth().post("/logout-all", "", bearer(two.getString("access_token")))
                        .status());
        assertInvalidRefresh(refresh(stillValid.json().getString("refresh_token")));
        assertInvalidRefresh(refresh(two.getString("refresh_token")));
    }

    @Test
    default void aRefreshTokenBuysATokenForWhicheverAudienceIsNamed() {
        JsonObject session = newSession();
        assertEquals(List.of("business"), audience(session.getString("access_token")), "a login naming none");
        Reply forAuth = refresh(session.getString("refresh_token"), "auth");
        assertEquals(200, forAuth.status(), forAuth::toString);
        assertEquals(List.of("auth"), audience(forAuth.json().getString("access_token")));
        assertEquals(
                204,
                auth().post("/logout-all", "", bearer(forAuth.json().getString("access_token")))
                        .status(),
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
    default void anAudienceNotConfiguredIsABadRequestThatSpendsNothing() {
        JsonObject session = newSession();
        for (String unknown : List.of("billing", "", "AUTH", "auth business")) {
            Reply refused = refresh(session.getString("refresh_token"), unknown);
            assertEquals(400, refused.status(), refused::toString);
            assertEquals("audience: must be one of auth, business", refused.detail());
            assertEquals(
                    List.of("must be one of auth, business"),
                    refused.json()
                            .getJsonObject("errors")
                            .getJsonArray("audience")
                            .getValuesAs(JsonString::getString));
        }
        assertEquals(200, refresh(session.getString("refresh_token")).status(), "the refresh token was not spent");

        String email = email(session);
        for (int i = 0; i < 6; i++) {
            Reply login = auth().post("/login", TestUsers.credentials(email, "wrong password " + i, "billing"));
            assertEquals(400, login.status(), login::toString);
            assertEquals(
                    List.of("must be one of auth, business"),
                    login.json()
                            .getJsonObject("errors")
                            .getJsonArray("audience")
                            .getValuesAs(JsonString::getString));
        }
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(email, PASSWORD)).status(),
                "refused before the password was checked, so no failure counted towards the lockout");
        Reply wrongType = auth().post(
                        "/login",
                        "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\",\"audience\":[\"auth\"]}");
        assertEquals(400, wrongType.status(), wrongType::toString);
        assertEquals("audience: must be a JSON string", wrongType.detail());
    }

    /**
     * Logging out with a session's first refresh token, long spent by then, ends the session
     * while it refreshes: every chain stops, none refreshes after its logout answered.
     */
    @Test
    default void logoutEndsSessionsThatAreRefreshingAtThatMoment() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            List<String> chains = chains(newSession());
            assertRevocationStopsEveryChain(
                    chains,
                    () -> chains.forEach(first -> {
                        Reply reply = auth().post("/logout", "{\"refresh_token\":\"" + first + "\"}");
                        assertEquals(204, reply.status(), reply::toString);
                    }));
        }
    }

    @Test
    default void logoutAllEndsChainsThatAreRefreshingAtThatMoment() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            JsonObject session = newSession();
            String token = selfToken(email(session), PASSWORD);
            assertRevocationStopsEveryChain(chains(session), () -> {
                Reply reply = auth().post("/logout-all", "", bearer(token));
                assertEquals(204, reply.status(), reply::toString);
            });
        }
    }

    @Test
    default void aPasswordChangeEndsChainsThatAreRefreshingAtThatMoment() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            JsonObject session = newSession();
            String token = selfToken(email(session), PASSWORD);
            assertRevocationStopsEveryChain(chains(session), () -> {
                Reply reply = auth().send(
                                "PUT",
                                "/users/me/password",
                                "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another passphrase "
                                        + UUID.randomUUID() + "\"}",
                                bearer(token));
                assertEquals(204, reply.status(), reply::toString);
            });
        }
    }

    /**
     * Logins with the old password, checking it while the password changes, end with no session
     * and no access token that outlive the change: a session starts only under the account's
     * lock, as the change's revocation runs, and only with the password hash that was checked.
     */
    @Test
    default void loginsRacingAPasswordChangeLeaveNothingThatOutlivesIt() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            JsonObject session = newSession();
            String email = email(session);
            String token = selfToken(email, PASSWORD);
            Concurrently.Race<Reply, Reply> race = loginsAround(email, () -> auth().send(
                            "PUT",
                            "/users/me/password",
                            "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"another passphrase "
                                    + UUID.randomUUID() + "\"}",
                            bearer(token)));
            assertEquals(204, race.action().status(), race.action()::toString);
            int started = 0;
            for (Reply login : race.requests()) {
                if (login.status() == 200) {
                    started++;
                    assertInvalidRefresh(refresh(login.json().getString("refresh_token")));
                    assertRevokedAtAuth(login.json().getString("access_token"));
                } else {
                    assertEquals(401, login.status(), login::toString);
                    assertEquals("Invalid credentials", login.detail(), login::toString);
                }
            }
            assertTrue(started > 0, "no login succeeded before the change");
        }
    }

    /**
     * Logins racing the disabling of the account, or the removal of its admin group: whatever a
     * login got was either revoked with the change or carries what the account has after it.
     */
    @Test
    default void loginsRacingADisablingOrADemotionLeaveNoPowerThatOutlivesIt() throws Exception {
        String admin = opsToken();
        for (int round = 0; round < ROUNDS; round++) {
            boolean demote = round % 2 == 1;
            JsonObject session = newSession();
            String email = email(session);
            String id = subject(session);
            if (demote) {
                makeAdministrator(admin, id);
            }
            Concurrently.Race<Reply, Reply> race = loginsAround(email, () -> takePower(admin, id, demote));
            assertEquals(200, race.action().status(), race.action()::toString);
            int revoked = 0;
            for (Reply login : race.requests()) {
                if (login.status() != 200) {
                    assertEquals(401, login.status(), login::toString);
                    assertEquals("Invalid credentials", login.detail(), login::toString);
                    continue;
                }
                String access = login.json().getString("access_token");
                if (auth().get("/users/me", bearer(access)).status() == 200) { // issued after the change
                    assertTrue(demote, "a login of the disabled account kept a live token: " + login);
                    assertEquals(List.of("user"), groups(login.json()), login::toString);
                } else {
                    revoked++;
                    assertRevokedAtAuth(access);
                    assertInvalidRefresh(refresh(login.json().getString("refresh_token")));
                }
            }
            assertTrue(revoked > 0, "no login before the change");
        }
    }

    /** Disabling the account, or taking its admin group, ends its refreshing chains at once. */
    @Test
    default void disablingOrDemotingEndsChainsThatAreRefreshingAtThatMoment() throws Exception {
        String admin = opsToken();
        for (int round = 0; round < ROUNDS; round++) {
            boolean demote = round % 2 == 1;
            JsonObject session = newSession();
            String id = subject(session);
            if (demote) {
                makeAdministrator(admin, id);
            }
            assertRevocationStopsEveryChain(chains(session), () -> {
                Reply reply = takePower(admin, id, demote);
                assertEquals(200, reply.status(), reply::toString);
            });
        }
    }

    @Test
    default void reuseDetectionEndsChainsThatAreRefreshingAtThatMoment() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            List<String> chains = chains(newSession());
            assertRevocationStopsEveryChain(
                    chains, () -> chains.forEach(spent -> assertInvalidRefresh(refresh(spent))));
        }
    }

    private String refreshed(String refreshToken) {
        Reply reply = refresh(refreshToken);
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getString("refresh_token");
    }

    /**
     * {@link #CHAINS} clients log in as {@code email} in tight loops around {@code action}, each
     * from an address of its own, so that refused logins lock out no one; at least one login
     * must have been in flight while the action ran, or nothing raced.
     */
    private Concurrently.Race<Reply, Reply> loginsAround(String email, Callable<Reply> action) throws Exception {
        List<long[]> logins = new CopyOnWriteArrayList<>();
        long[] acted = new long[2];
        Concurrently.Race<Reply, Reply> race = Concurrently.around(
                CHAINS,
                CHAINS,
                i -> {
                    String address = someAddress();
                    return () -> {
                        long start = System.nanoTime();
                        Reply reply = auth().post("/login", TestUsers.credentials(email, PASSWORD), from(address));
                        logins.add(new long[] {start, System.nanoTime()});
                        return reply;
                    };
                },
                () -> {
                    acted[0] = System.nanoTime();
                    Reply reply = action.call();
                    acted[1] = System.nanoTime();
                    return reply;
                });
        assertTrue(
                logins.stream().anyMatch(login -> login[0] < acted[1] && login[1] > acted[0]),
                "no login was in flight while the action ran");
        return race;
    }

    private void makeAdministrator(String admin, String id) {
        Reply granted = auth().send("PUT", "/admin/users/" + id + "/admin", null, bearer(admin));
        assertEquals(200, granted.status(), granted::toString);
    }

    /** Takes the account's admin group ({@code demote}), or disables the account. */
    private Reply takePower(String admin, String id, boolean demote) {
        return demote
                ? auth().send("DELETE", "/admin/users/" + id + "/admin", null, bearer(admin))
                : auth().post("/admin/users/" + id + "/disable", "", bearer(admin));
    }

    /** The refresh tokens of {@link #CHAINS} logins of one user, the given session's first. */
    private List<String> chains(JsonObject session) {
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
     * chain must end with 401, never a 5xx, and none may be refused before the revocation starts
     * (which would leave nothing racing it).
     */
    private void assertRevocationStopsEveryChain(List<String> chains, Runnable revoke) throws Exception {
        AtomicLong revokedAt = new AtomicLong(Long.MAX_VALUE);
        AtomicBoolean revoking = new AtomicBoolean();
        CountDownLatch rotated = new CountDownLatch(chains.size());
        ExecutorService threads = Executors.newFixedThreadPool(chains.size());
        try {
            List<Future<String>> outcomes = new ArrayList<>();
            for (String first : chains) {
                outcomes.add(threads.submit(() -> {
                    HttpJson client = new HttpJson(base().toString(), HttpClient.Version.HTTP_1_1);
                    String token = first;
                    try {
                        for (int refreshes = 0; refreshes < 2_000; refreshes++) {
                            long sentAt = System.nanoTime();
                            Reply reply = client.post("/refresh", "{\"refresh_token\":\"" + token + "\"}");
                            if (reply.status() != 200) {
                                if (!revoking.get()) {
                                    return "refused after " + refreshes + " refreshes, before the revocation: " + reply;
                                }
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
                        rotated.countDown(); // a chain that ended early must not hold up the others: its answer says
                        // why
                    }
                }));
            }
            assertTrue(rotated.await(60, TimeUnit.SECONDS), "every chain rotates");
            revoking.set(true);
            revoke.run();
            revokedAt.set(System.nanoTime());
            for (Future<String> outcome : outcomes) {
                assertNull(outcome.get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
