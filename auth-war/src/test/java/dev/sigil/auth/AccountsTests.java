package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.TestUsers;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Accounts, against the deployed WAR: registration, the caller's own account, password change
 * and administration, where admin power is what the database says now, not what a token said
 * when it was issued.
 */
interface AccountsTests extends DeployedAuth {

    @Test
    default void wrongTypesAndOversizedBodiesAreRefusedAndChangeNothing() {
        String email = TestUsers.email("u");
        Reply number = auth().post("/users", "{\"email\":\"" + email + "\",\"password\":123456789012345}");
        assertEquals(400, number.status(), number::toString);
        assertEquals("password: must be a JSON string", number.detail());
        Reply huge = auth().post("/users", "{\"email\":\"" + email + "\",\"password\":\"" + "p".repeat(70_000) + "\"}");
        assertEquals(413, huge.status(), huge::toString);
        assertTrue(huge.detail().startsWith("Request body too large"), huge::toString);
        assertEquals(400, auth().post("/login", "[\"" + email + "\"]").status());
        assertEquals(
                401,
                auth().post("/login", TestUsers.credentials(email, PASSWORD)).status(),
                "no account was created");
        assertEquals(
                201,
                auth().post("/users", TestUsers.credentials(email, PASSWORD)).status());
    }

    /** Without the hash before the lookup a 409 came back in about 2 % of the time of a 201. */
    @Test
    default void aTakenEmailTakesAsLongToRefuseAsANewOneToRegister() {
        String taken = email(newSession());
        int samples = 6;
        long[] created = new long[samples];
        long[] conflicts = new long[samples];
        for (int i = 0; i < samples; i++) {
            String address = someAddress();
            long start = System.nanoTime();
            assertEquals(
                    201,
                    auth().post("/users", TestUsers.credentials(TestUsers.email("u"), PASSWORD), from(address))
                            .status());
            created[i] = System.nanoTime() - start;
            start = System.nanoTime();
            assertEquals(
                    409,
                    auth().post("/users", TestUsers.credentials(taken, PASSWORD), from(address))
                            .status());
            conflicts[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(created);
        java.util.Arrays.sort(conflicts);
        double ratio = (double) conflicts[samples / 2] / created[samples / 2];
        assertTrue(ratio > 0.5 && ratio < 2, "median 409 / median 201 = " + ratio);
    }

    @Test
    default void meShowsTheCallersAccountToATokenOfEitherAudience() {
        JsonObject session = newSession();
        JsonObject own = login(email(session), PASSWORD, "auth");
        for (JsonObject caller : List.of(session, own)) {
            Reply reply = auth().get("/users/me", bearer(caller.getString("access_token")));
            assertEquals(200, reply.status(), reply::toString);
            JsonObject me = reply.json();
            assertEquals(subject(session), me.getString("id"));
            assertEquals(email(session), me.getString("email"));
            assertEquals(List.of("user"), me.getJsonArray("groups").getValuesAs(JsonString::getString));
            assertTrue(me.containsKey("created_at"));
            assertEquals("no-store", reply.header("Cache-Control"), "the caller's own answer");
            Reply byPost = auth().post("/users/me", "", bearer(caller.getString("access_token")));
            assertEquals(200, byPost.status(), () -> "userinfo by POST: " + byPost);
            assertEquals(me, byPost.json());
        }
        Reply name = auth().get("/test/principal-name", bearer(own.getString("access_token")));
        assertEquals(200, name.status(), name::toString);
        assertEquals(subject(session), name.body(), "without the email (upn) the principal name is sub");

        Reply none = auth().get("/users/me");
        assertEquals(401, none.status(), none::toString);
        assertEquals("Bearer realm=\"auth\"", none.header("WWW-Authenticate"));
        assertEquals(401, auth().post("/users/me", "").status(), "by POST neither");
        Reply forged = auth().get("/users/me", bearer(session.getString("access_token") + "x"));
        assertEquals(401, forged.status(), forged::toString);
        assertEquals("Invalid token", forged.detail());
    }

    /**
     * Twelve registrations of one email at once, each from an address of its own and each past
     * the "is it taken" read while the others hash their passwords: one account, eleven 409s.
     */
    @Test
    default void concurrentRegistrationsOfOneEmailMakeOneAccount() throws Exception {
        String email = TestUsers.email("race");
        List<Reply> replies = Concurrently.atOnce(
                12, i -> auth().post("/users", TestUsers.credentials(email, PASSWORD), from(someAddress())));
        int created = 0;
        for (Reply reply : replies) {
            if (reply.status() == 201) {
                created++;
            } else {
                assertEquals(409, reply.status(), reply::toString);
                assertEquals("Email already registered", reply.detail(), reply::toString);
            }
        }
        assertEquals(1, created);
        login(email, PASSWORD);
    }

    /**
     * Concurrent changes that all name the right current password: one succeeds, and the others
     * are checked against its new password, not the old one, so they fail.
     */
    @Test
    default void ofConcurrentPasswordChangesFromOnePasswordOneSucceeds() throws Exception {
        String email = email(newSession());
        String token = selfToken(email, PASSWORD);
        int changes = 4;
        List<Reply> replies = Concurrently.atOnce(changes, i -> auth().send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"new passphrase " + i + "\"}",
                        bearer(token)));
        List<Integer> succeeded = new ArrayList<>();
        for (int i = 0; i < changes; i++) {
            Reply reply = replies.get(i);
            if (reply.status() == 204) {
                succeeded.add(i);
            } else if (reply.status() != 401) { // 401: its token was revoked by the change that won
                assertEquals(403, reply.status(), reply::toString);
            }
        }
        assertEquals(1, succeeded.size(), "changes that succeeded: " + succeeded);
        for (int i = 0; i < changes; i++) {
            Reply login =
                    auth().post("/login", TestUsers.credentials(email, "new passphrase " + i), from(someAddress()));
            assertEquals(succeeded.contains(i) ? 200 : 401, login.status(), login::toString);
        }
    }

    @Test
    default void changingThePasswordEndsAllSessions() {
        JsonObject session = newSession();
        String email = email(session);
        String token = selfToken(email, PASSWORD);
        String newPassword = "a different passphrase";

        assertWrongAudience(auth().send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + newPassword + "\"}",
                        bearer(session.getString("access_token"))));

        Reply wrong = auth().send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"wrong password!\",\"new_password\":\"" + newPassword + "\"}",
                        bearer(token));
        assertEquals(403, wrong.status(), wrong::toString);
        Reply tooShort = auth().send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"short\"}",
                        bearer(token));
        assertEquals(400, tooShort.status(), tooShort::toString);
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(email, PASSWORD)).status(),
                "nothing changed yet");

        Reply changed = auth().send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"" + newPassword + "\"}",
                        bearer(token));
        assertEquals(204, changed.status(), changed::toString);
        assertInvalidRefresh(refresh(session.getString("refresh_token")));
        assertEquals(
                401,
                auth().post("/login", TestUsers.credentials(email, PASSWORD)).status());
        login(email, newPassword);
    }

    @Test
    default void administratorsManageAccounts() {
        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        JsonObject user = newSession();
        String id = subject(user);

        Reply list = auth().get("/admin/users?size=100", bearer(admin));
        assertEquals(200, list.status(), list::toString);
        assertTrue(list.json().getInt("total") >= 2);

        Reply disabled = auth().post("/admin/users/" + id + "/disable", "", bearer(admin));
        assertEquals(200, disabled.status(), disabled::toString);
        assertEquals(false, disabled.json().getBoolean("enabled"));
        assertInvalidRefresh(refresh(user.getString("refresh_token")));
        Reply login = auth().post("/login", TestUsers.credentials(email(user), PASSWORD));
        assertEquals(401, login.status());
        assertEquals("Invalid credentials", login.detail());
        Reply unknown = auth().post("/login", TestUsers.credentials("nobody-" + id + "@example.com", PASSWORD));
        assertEquals(unknown.body(), login.body(), "a disabled account is answered as an unknown email");
        assertEquals(unknown.header("WWW-Authenticate"), login.header("WWW-Authenticate"));

        assertEquals(
                200,
                auth().post("/admin/users/" + id + "/enable", "", bearer(admin)).status());
        assertEquals(List.of("user"), groups(login(email(user), PASSWORD)));

        assertEquals(
                200,
                auth().send("PUT", "/admin/users/" + id + "/admin", null, bearer(admin))
                        .status());
        assertEquals(List.of("admin", "user"), groups(login(email(user), PASSWORD)));
        assertEquals(
                200,
                auth().send("DELETE", "/admin/users/" + id + "/admin", null, bearer(admin))
                        .status());
        assertEquals(List.of("user"), groups(login(email(user), PASSWORD)));

        for (String[] call : new String[][] {
            {"POST", "disable"},
            {"POST", "enable"},
            {"POST", "unlock"},
            {"POST", "revoke-tokens"},
            {"PUT", "admin"},
            {"DELETE", "admin"}
        }) {
            Reply notThere = auth().send(call[0], "/admin/users/no-such-user/" + call[1], null, bearer(admin));
            assertEquals(404, notThere.status(), () -> call[0] + " " + call[1] + ": " + notThere);
            assertEquals("User not found", notThere.detail(), call[1]);
        }
        Reply sizeZero = auth().get("/admin/users?size=0", bearer(admin));
        assertEquals(400, sizeZero.status(), sizeZero::toString);
        assertTrue(sizeZero.detail().startsWith("size: "), sizeZero::toString);
        Reply self = auth().post("/admin/users/" + claims(admin).getString("sub") + "/disable", "", bearer(admin));
        assertEquals(409, self.status(), self::toString);
    }

    @Test
    default void administrationIsForAdministratorsOnly() {
        String user = selfToken(email(newSession()), PASSWORD);
        Reply forbidden = auth().get("/admin/users", bearer(user));
        assertEquals(403, forbidden.status(), forbidden::toString);
        assertEquals("Forbidden", forbidden.detail());
        assertEquals(
                403,
                auth().post("/admin/users/" + claims(user).getString("sub") + "/disable", "", bearer(user))
                        .status());
        Reply none = auth().get("/admin/users");
        assertEquals(401, none.status(), none::toString);
    }

    /**
     * A business token of an administrator opens no administration endpoint, and is told it is
     * the wrong token (401) before the group is checked; the same administrator's token for auth
     * opens them all.
     */
    @Test
    default void administrationNeedsATokenForAuthEvenFromAnAdministrator() {
        String business = login(ADMIN_EMAIL, ADMIN_PASSWORD).getString("access_token");
        assertEquals(List.of("business"), audience(business));
        String id = subject(newSession());
        double invalid = server().counter("sigil_token_rejections_total", "reason=\"invalid\"");
        assertWrongAudience(auth().get("/admin/users", bearer(business)));
        assertEquals(
                invalid + 1,
                server().counter("sigil_token_rejections_total", "reason=\"invalid\""),
                "counted with the gate's refusals");
        assertWrongAudience(auth().post("/admin/users/" + id + "/disable", "", bearer(business)));
        assertWrongAudience(auth().send("PUT", "/admin/users/" + id + "/admin", null, bearer(business)));
        assertWrongAudience(auth().get("/admin/keys", bearer(business)));
        assertWrongAudience(auth().post("/admin/keys/rotate", "", bearer(business)));
        Reply account = auth().get("/admin/users?size=100", bearer(selfToken(ADMIN_EMAIL, ADMIN_PASSWORD)));
        assertEquals(200, account.status(), account::toString);
        assertTrue(
                account.json().getJsonArray("users").stream()
                        .map(JsonValue::asJsonObject)
                        .anyMatch(user -> user.getString("id").equals(id)
                                && user.getBoolean("enabled")
                                && user.getJsonArray("groups").size() == 1),
                "the business token changed nothing");
    }

    /** Disabling revokes the account's tokens: each admin endpoint says so (401) before any group check. */
    @Test
    default void aDisabledAdministratorsTokenHasNoAdminPower() {
        JsonObject admin = newAdministrator();
        String id = subject(admin);
        assertEquals(
                200,
                auth().get("/admin/users", bearer(admin.getString("access_token")))
                        .status());
        assertEquals(
                200,
                auth().post("/admin/users/" + id + "/disable", "", bearer(opsToken()))
                        .status());
        assertNoAdminPower(admin.getString("access_token"), id, this::assertRevoked);
        assertInvalidRefresh(refresh(admin.getString("refresh_token")));
    }

    /**
     * Disabled in the database alone (another instance's or an operator's change), so nothing
     * revoked the token: the account check re-reads the account and refuses every admin call
     * with 403, self-enabling included.
     */
    @Test
    default void aStillValidTokenOfAnAdministratorDisabledInTheDatabaseHasNoAdminPower() {
        assertNoAdminPowerOnceTheDatabaseSays("UPDATE sigil_user SET enabled = FALSE WHERE id = ?");
    }

    /** As above, with the admin group taken away in the database alone: 403, self-promotion included. */
    @Test
    default void aStillValidTokenOfAnAdministratorDemotedInTheDatabaseHasNoAdminPower() {
        assertNoAdminPowerOnceTheDatabaseSays(
                "DELETE FROM sigil_user_group WHERE user_id = ? AND group_name = 'admin'");
    }

    @Test
    default void aDemotedAdministratorsTokenHasNoAdminPowerAndItsSessionsEnd() {
        JsonObject admin = newAdministrator();
        String id = subject(admin);
        assertEquals(
                200,
                auth().get("/admin/keys", bearer(admin.getString("access_token")))
                        .status());
        Reply demoted = auth().send("DELETE", "/admin/users/" + id + "/admin", null, bearer(opsToken()));
        assertEquals(200, demoted.status(), demoted::toString);
        assertNoAdminPower(admin.getString("access_token"), id, this::assertRevoked);
        assertInvalidRefresh(refresh(admin.getString("refresh_token")));
        assertEquals(List.of("user"), groups(login(email(admin), PASSWORD)), "still a user");
    }

    @Test
    default void administratorsCannotEnableOrPromoteThemselves() {
        String token = opsToken();
        String self = claims(token).getString("sub");
        Reply enable = auth().post("/admin/users/" + self + "/enable", "", bearer(token));
        assertEquals(409, enable.status(), enable::toString);
        assertEquals("Administrators cannot enable themselves", enable.detail());
        Reply promote = auth().send("PUT", "/admin/users/" + self + "/admin", null, bearer(token));
        assertEquals(409, promote.status(), promote::toString);
        assertEquals("Administrators cannot grant themselves the admin group", promote.detail());
        Reply demote = auth().send("DELETE", "/admin/users/" + self + "/admin", null, bearer(token));
        assertEquals(409, demote.status(), demote::toString);
    }

    @Test
    default void twoAdministratorsDemotingEachOtherAtOnceLeaveOne() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            assertOneAdministratorSurvives("DELETE", "/admin");
        }
    }

    @Test
    default void twoAdministratorsDisablingEachOtherAtOnceLeaveOne() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            assertOneAdministratorSurvives("POST", "/disable");
        }
    }

    /** A new administrator's token, once this statement changed its account (by id) in the database. */
    private void assertNoAdminPowerOnceTheDatabaseSays(String sql) {
        JsonObject admin = newAdministrator();
        String id = subject(admin);
        String token = admin.getString("access_token");
        assertEquals(200, auth().get("/admin/users", bearer(token)).status());
        assertEquals(1, AuthDatabase.update(sql, id));
        assertAcceptedAtAuth(token);
        assertNoAdminPower(token, id, this::assertForbidden);
    }

    /** Every admin endpoint, called with this token, each reply as {@code refused} expects. */
    private void assertNoAdminPower(String token, String ownId, Consumer<Reply> refused) {
        assertEquals(
                List.of("admin", "user"),
                claims(token).getJsonArray("groups").getValuesAs(JsonString::getString),
                "the token still says admin");
        refused.accept(auth().get("/admin/users", bearer(token)));
        refused.accept(auth().post("/admin/users/" + ownId + "/enable", "", bearer(token)));
        refused.accept(auth().send("PUT", "/admin/users/" + ownId + "/admin", null, bearer(token)));
        refused.accept(auth().post("/admin/users/" + subject(newSession()) + "/disable", "", bearer(token)));
        refused.accept(auth().send(
                        "DELETE",
                        "/admin/users/" + claims(opsToken()).getString("sub") + "/admin",
                        null,
                        bearer(token)));
        String victim = subject(newSession());
        refused.accept(auth().post("/admin/users/" + victim + "/unlock", "", bearer(token)));
        refused.accept(auth().post("/admin/users/" + victim + "/revoke-tokens", "", bearer(token)));
        refused.accept(auth().get("/admin/keys", bearer(token)));
        refused.accept(auth().post("/admin/keys/rotate", "", bearer(token)));
        String client = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        refused.accept(auth().post(
                        "/admin/clients",
                        "{\"client_id\":\"" + client + "\",\"groups\":[\"user\"],\"audiences\":[\"business\"]}",
                        bearer(token)));
        refused.accept(auth().get("/admin/clients", bearer(token)));
        refused.accept(auth().get("/admin/clients/" + client, bearer(token)));
        refused.accept(auth().post("/admin/clients/" + client + "/secret", "", bearer(token)));
        refused.accept(auth().send("DELETE", "/admin/clients/" + client, null, bearer(token)));
    }

    private void assertRevoked(Reply reply) {
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Token revoked", reply.detail());
    }

    /**
     * Makes two new administrators the only enabled ones, lets each take the other's power at
     * the same moment, and restores the configured administrator afterwards.
     */
    private void assertOneAdministratorSurvives(String method, String action) throws Exception {
        JsonObject one = newAdministrator();
        JsonObject two = newAdministrator();
        String ops = claims(opsToken()).getString("sub");
        for (String other : activeAdministrators(one.getString("access_token"))) {
            if (!other.equals(subject(one)) && !other.equals(subject(two))) {
                Reply demoted = auth().send(
                                "DELETE",
                                "/admin/users/" + other + "/admin",
                                null,
                                bearer(one.getString("access_token")));
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
            assertEquals(
                    1, replies.stream().filter(reply -> reply.status() == 200).count(), replies::toString);
            Reply refused = replies.stream()
                    .filter(reply -> reply.status() != 200)
                    .findFirst()
                    .orElseThrow();
            if (refused.status() == 409) {
                assertEquals("The last enabled administrator cannot be disabled or demoted", refused.detail());
            } else {
                assertRefusedAdmin(refused);
            }
            survivor = replies.get(0).status() == 200 ? one.getString("access_token") : two.getString("access_token");
            assertEquals(List.of(claims(survivor).getString("sub")), activeAdministrators(survivor));
        } finally {
            String restorer = survivor != null ? survivor : one.getString("access_token");
            auth().send("PUT", "/admin/users/" + ops + "/admin", null, bearer(restorer));
            for (String other : List.of(subject(one), subject(two))) {
                auth().send("DELETE", "/admin/users/" + other + "/admin", null, bearer(opsToken()));
            }
        }
    }

    private Reply takePower(CountDownLatch start, JsonObject caller, JsonObject target, String method, String action)
            throws InterruptedException {
        HttpJson client = new HttpJson(base().toString(), HttpClient.Version.HTTP_1_1);
        start.await();
        return client.send(
                method, "/admin/users/" + subject(target) + action, null, bearer(caller.getString("access_token")));
    }

    /** The ids of the enabled accounts in group admin, read page by page. */
    private List<String> activeAdministrators(String token) {
        List<String> ids = new ArrayList<>();
        for (int page = 0; ; page++) {
            Reply reply = auth().get("/admin/users?size=100&page=" + page, bearer(token));
            assertEquals(200, reply.status(), reply::toString);
            List<JsonObject> users = reply.json().getJsonArray("users").getValuesAs(JsonObject.class);
            users.stream()
                    .filter(user -> user.getBoolean("enabled")
                            && user.getJsonArray("groups")
                                    .getValuesAs(JsonString::getString)
                                    .contains("admin"))
                    .forEach(user -> ids.add(user.getString("id")));
            if (users.size() < 100) {
                return ids;
            }
        }
    }
}
