package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import dev.sigil.testkit.TestUsers;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Throttling (the {@code login} component's throttle), against the deployed WAR with lowered
 * limits: account and address lockouts, the account ceiling, unlocking, and the registration
 * rate. Each test counts against client addresses of its own.
 */
interface ThrottlingTests extends DeployedAuth {

    @Test
    default void repeatedFailuresLockTheAccountWithoutRevealingWhetherItExists() {
        double throttled = server().counter("sigil_logins_total", "outcome=\"throttled\"");
        JsonObject session = newSession();
        String known = email(session);
        String unknown = TestUsers.email("u");
        for (String email : List.of(known, unknown)) {
            for (int i = 1; i <= 5; i++) {
                Reply reply = auth().post("/login", TestUsers.credentials(email, "wrong password " + i));
                assertEquals(401, reply.status(), reply::toString);
                assertEquals("Invalid credentials", reply.detail());
            }
            Reply locked = auth().post("/login", TestUsers.credentials(email, PASSWORD));
            assertEquals(429, locked.status(), "locked even with the right password: " + locked);
            assertEquals("Too many failed logins; try again later", locked.detail());
            long retryAfter = Long.parseLong(locked.header("Retry-After"));
            assertTrue(retryAfter > 50 && retryAfter <= 61, "Retry-After " + retryAfter);
        }
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(email(newSession()), PASSWORD))
                        .status(),
                "other accounts are not affected");
        assertEquals(throttled + 2, server().counter("sigil_logins_total", "outcome=\"throttled\""));
    }

    @Test
    default void aSuccessfulLoginResetsTheAccountCount() {
        String email = email(newSession());
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4; i++) {
                assertEquals(
                        401,
                        auth().post("/login", TestUsers.credentials(email, "wrong password!"))
                                .status());
            }
            assertEquals(
                    200,
                    auth().post("/login", TestUsers.credentials(email, PASSWORD))
                            .status());
        }
    }

    /**
     * An IPv6 client is counted by its /64: failures from two addresses of one /64 lock the
     * account for a third address of it, not for an address of the next /64.
     */
    @Test
    default void anIpv6ClientIsCountedByItsSlash64() {
        String victim = email(newSession());
        for (int i = 0; i < 5; i++) {
            String address = i % 2 == 0 ? "2001:db8:1:2::a" : "2001:db8:1:2::b";
            Reply reply = auth().post("/login", TestUsers.credentials(victim, "wrong password " + i), from(address));
            assertEquals(401, reply.status(), reply::toString);
        }
        Reply sameSlash64 = auth().post("/login", TestUsers.credentials(victim, PASSWORD), from("2001:db8:1:2::c"));
        assertEquals(429, sameSlash64.status(), sameSlash64::toString);
        Reply nextSlash64 = auth().post("/login", TestUsers.credentials(victim, PASSWORD), from("2001:db8:1:3::1"));
        assertEquals(200, nextSlash64.status(), nextSlash64::toString);
    }

    /**
     * The one test whose logins come from the test client's own address rather than one named
     * in {@code X-Forwarded-For}: every other test names addresses of its own, so locking this
     * one for a minute affects no other test, whatever the order.
     */
    @Test
    default void manyFailuresFromOneAddressLockTheAddress() {
        String victim = email(newSession());
        HttpJson unproxied = new HttpJson(base().toString());
        int attempts = 0;
        Reply reply;
        do {
            attempts++;
            reply = unproxied.post("/login", TestUsers.credentials(TestUsers.email("u"), "guessing " + attempts));
        } while (reply.status() == 401 && attempts <= ADDRESS_FAILURES);
        assertEquals(429, reply.status(), "after " + attempts + " failures with distinct emails: " + reply);
        assertEquals(ADDRESS_FAILURES + 1, attempts, "locked exactly after the allowed failures");
        Reply blocked = unproxied.post("/login", TestUsers.credentials(victim, PASSWORD));
        assertEquals(429, blocked.status(), "every login from the locked address waits: " + blocked);
        assertTrue(Long.parseLong(blocked.header("Retry-After")) > 0);
        // a proxy's X-Forwarded-For that holds no address does not make the client someone else
        Reply forged = unproxied.post("/login", TestUsers.credentials(victim, PASSWORD), "X-Forwarded-For", "unknown");
        assertEquals(429, forged.status(), "X-Forwarded-For without an address: " + forged);
    }

    @Test
    default void concurrentGuessesGetNoMorePasswordChecksThanTheAccountLockAllows() throws Exception {
        String victim = email(newSession());
        String guesser = someAddress();
        double failed = server().counter("sigil_logins_total", "outcome=\"failed\"");
        double throttled = server().counter("sigil_logins_total", "outcome=\"throttled\"");
        HttpJson http11 = new HttpJson(base().toString(), HttpClient.Version.HTTP_1_1);
        int guesses = 24;
        ExecutorService pool = Executors.newFixedThreadPool(guesses);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < guesses; i++) {
                String guess = TestUsers.credentials(victim, "concurrent guess " + i);
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
        Reply locked = auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(guesser));
        assertEquals(429, locked.status(), "the guesser's address is locked out of the account: " + locked);
        Reply owner = auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(someAddress()));
        assertEquals(200, owner.status(), "the owner, from an address that never failed: " + owner);
    }

    @Test
    default void theCeilingCapsGuessingFromManyAddressesAndAnAdministratorLiftsIt() {
        JsonObject session = newSession();
        String victim = email(session);
        String home = someAddress();
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(home))
                        .status());
        for (int address = 0; address < ACCOUNT_CEILING / 5; address++) {
            String guesser = someAddress();
            for (int i = 0; i < 5; i++) {
                Reply guess = auth().post("/login", TestUsers.credentials(victim, "spread guess " + i), from(guesser));
                assertEquals(401, guess.status(), guess::toString);
            }
        }
        Reply capped = auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(someAddress()));
        assertEquals(429, capped.status(), "a new address, even with the right password: " + capped);
        assertTrue(Long.parseLong(capped.header("Retry-After")) > 50, capped::toString);
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(home))
                        .status(),
                "the owner's address, from which the account logged in before");

        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        Reply unlocked = auth().post("/admin/users/" + subject(session) + "/unlock", "", bearer(admin));
        assertEquals(200, unlocked.status(), unlocked::toString);
        assertEquals(victim, unlocked.json().getString("email"));
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(someAddress()))
                        .status());
    }

    @Test
    default void unlockingIsForAdministratorsAndClearsEveryAddress() {
        JsonObject session = newSession();
        String victim = email(session);
        String id = subject(session);
        String guesser = someAddress();
        for (int i = 0; i < 5; i++) {
            assertEquals(
                    401,
                    auth().post("/login", TestUsers.credentials(victim, "guess " + i), from(guesser))
                            .status());
        }
        assertEquals(
                429,
                auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(guesser))
                        .status());

        Reply none = auth().post("/admin/users/" + id + "/unlock", "");
        assertEquals(401, none.status(), none::toString);
        Reply user = auth().post("/admin/users/" + id + "/unlock", "", bearer(selfToken(victim, PASSWORD)));
        assertEquals(403, user.status(), user::toString);
        assertEquals(
                429,
                auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(guesser))
                        .status(),
                "still locked");

        String admin = selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
        Reply unknown = auth().post("/admin/users/no-such-user/unlock", "", bearer(admin));
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("User not found", unknown.detail());
        Reply unlocked = auth().post("/admin/users/" + id + "/unlock", "", bearer(admin));
        assertEquals(200, unlocked.status(), unlocked::toString);
        assertEquals(id, unlocked.json().getString("id"));
        assertTrue(unlocked.json().getBoolean("enabled"));
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(victim, PASSWORD), from(guesser))
                        .status(),
                "the address that was locked out of the account");
    }

    @Test
    default void theOpenApiDocumentNamesTheUnlockAndEveryThrottledAnswer() {
        JsonObject api = server().openApi();
        JsonObject unlock = ServerEndpoints.operation(api, "/admin/users/{id}/unlock", "post");
        assertTrue(
                unlock.getJsonObject("responses").keySet().containsAll(List.of("200", "401", "403", "404")),
                unlock::toString);
        assertEquals(
                "bearer",
                unlock.getJsonArray("security")
                        .getJsonObject(0)
                        .keySet()
                        .iterator()
                        .next());
        for (String[] operation :
                List.of(new String[] {"/login", "post"}, new String[] {"/users", "post"}, new String[] {
                    "/users/me/password", "put"
                })) {
            JsonObject throttled = ServerEndpoints.operation(api, operation[0], operation[1]);
            assertTrue(throttled.getJsonObject("responses").containsKey("429"), throttled::toString);
        }
    }

    @Test
    default void theCurrentPasswordOfAPasswordChangeIsThrottledLikeALogin() {
        JsonObject session = newSession();
        String email = email(session);
        String[] caller = from(someAddress(), bearer(selfToken(email, PASSWORD)));
        for (int i = 0; i < 5; i++) {
            Reply wrong = auth().send(
                            "PUT",
                            "/users/me/password",
                            "{\"current_password\":\"wrong guess " + i
                                    + "\",\"new_password\":\"a different passphrase\"}",
                            caller);
            assertEquals(403, wrong.status(), wrong::toString);
        }
        Reply locked = auth().send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"" + PASSWORD + "\",\"new_password\":\"a different passphrase\"}",
                        caller);
        assertEquals(429, locked.status(), "locked even with the right current password: " + locked);
        assertTrue(Long.parseLong(locked.header("Retry-After")) > 50, locked::toString);
        assertEquals(
                429,
                auth().post("/login", TestUsers.credentials(email, PASSWORD), caller[0], caller[1])
                        .status(),
                "the same lockout as logins");
        assertEquals(
                200,
                auth().post("/login", TestUsers.credentials(email, PASSWORD), from(someAddress()))
                        .status());
    }

    @Test
    default void registrationsAreLimitedPerClientAddress() {
        String address = someAddress();
        String taken = TestUsers.email("u");
        assertEquals(
                201,
                auth().post("/users", TestUsers.credentials(taken, PASSWORD), from(address))
                        .status());
        assertEquals(
                409,
                auth().post("/users", TestUsers.credentials(taken, PASSWORD), from(address))
                        .status());
        for (int i = 2; i < REGISTRATIONS_PER_MINUTE; i++) {
            assertEquals(
                    201,
                    auth().post("/users", TestUsers.credentials(TestUsers.email("u"), PASSWORD), from(address))
                            .status());
        }
        String refusedEmail = TestUsers.email("u");
        Reply refused = auth().post("/users", TestUsers.credentials(refusedEmail, PASSWORD), from(address));
        assertEquals(429, refused.status(), refused::toString);
        assertEquals("Too many registrations from this address; try again later", refused.detail());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 61, refused::toString);
        assertEquals(
                401,
                auth().post("/login", TestUsers.credentials(refusedEmail, PASSWORD))
                        .status(),
                "nothing created");
        assertEquals(
                201,
                auth().post("/users", TestUsers.credentials(refusedEmail, PASSWORD), from(someAddress()))
                        .status());
    }

    /** The same limit with three times as many registrations from one address at once: exactly the limit's worth succeed. */
    @Test
    default void registrationsAtOnceStopAtTheLimit() throws Exception {
        String[] address = from(someAddress());
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 3 * REGISTRATIONS_PER_MINUTE; i++) {
            emails.add(TestUsers.email("burst"));
        }
        List<Reply> replies = Concurrently.atOnce(
                emails.size(), i -> auth().post("/users", TestUsers.credentials(emails.get(i), PASSWORD), address));
        List<Integer> statuses = replies.stream().map(Reply::status).toList();
        assertEquals(
                REGISTRATIONS_PER_MINUTE,
                statuses.stream().filter(status -> status == 201).count(),
                statuses::toString);
        assertEquals(
                2L * REGISTRATIONS_PER_MINUTE,
                statuses.stream().filter(status -> status == 429).count(),
                statuses::toString);
        for (int i = 0; i < emails.size(); i++) {
            int expected = replies.get(i).status() == 201 ? 200 : 401;
            assertEquals(
                    expected,
                    auth().post("/login", TestUsers.credentials(emails.get(i), PASSWORD), from(someAddress()))
                            .status(),
                    "an account exists exactly for each 201");
        }
    }
}
