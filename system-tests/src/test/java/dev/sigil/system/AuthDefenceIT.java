package dev.sigil.system;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static dev.sigil.testkit.TestUsers.credentials;
import static dev.sigil.testkit.TestUsers.email;
import static dev.sigil.testkit.TestUsers.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The auth service under hostile input, against the running service: a fuzzed corpus on every
 * JSON endpoint (always a 4xx JSON error, never a 5xx, and nothing created or changed), the
 * timing of unknown emails against wrong passwords, and the documented lockouts under a
 * scripted guessing attack. Login throttling counts failures per client address, in memory, and
 * every request here comes from one address: the tests that spend most of the address's budget
 * ({@link FreshAuth}) run on an auth started for them and stopped after them, so no test
 * inherits another's count and the tests run in any order. They run last only to save restarts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthDefenceIT {

    static final HttpJson AUTH = new HttpJson(Sigil.AUTH, java.net.http.HttpClient.Version.HTTP_1_1);

    /** A test that needs this address's failure count at zero and spends most of it. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface FreshAuth {}

    @BeforeAll
    static void authAlone() {
        Sigil.stopAll();
    }

    /** Auth runs for every test; a {@link FreshAuth} test gets one started for it. */
    @BeforeEach
    void authRuns(TestInfo test) {
        if (fresh(test) && Sigil.running("auth")) {
            Sigil.stop("auth");
        }
        if (!Sigil.running("auth")) {
            Sigil.startOnly("auth");
        }
    }

    /** After a {@link FreshAuth} test auth stops, so the next test starts with clean counts. */
    @AfterEach
    void spent(TestInfo test) {
        if (fresh(test)) {
            Sigil.stop("auth");
        }
    }

    static boolean fresh(TestInfo test) {
        return test.getTestMethod()
                .map(method -> method.isAnnotationPresent(FreshAuth.class))
                .orElse(false);
    }

    @AfterAll
    static void stop() {
        Sigil.stopAll();
    }

    static String adminToken() {
        return AUTH.post("/login", credentials(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD, "auth"))
                .json()
                .getString("access_token");
    }

    /** Every account as the admin API shows it: what a failed request must leave untouched. */
    static String accounts() {
        Reply users = AUTH.get("/admin/users?size=100", bearer(adminToken()));
        assertEquals(200, users.status(), users::toString);
        return users.json().toString();
    }

    static void assertClientError(Reply reply, String what) {
        assertTrue(reply.status() >= 400 && reply.status() < 500, () -> what + " -> " + reply);
        assertTrue(reply.header("Content-Type").startsWith("application/json"), () -> what + " -> " + reply);
        assertFalse(reply.detail().isBlank(), what);
    }

    // ---- fuzzing

    /** Bodies that are not the JSON object an endpoint expects, whatever its members. */
    static List<byte[]> malformedBodies() {
        List<String> texts = new ArrayList<>(List.of(
                "{",
                "}",
                "[",
                "[]",
                "\"text\"",
                "42",
                "true",
                "nul",
                "{\"email\":",
                "{'email':'a@example.com'}",
                "{\"email\":\"a@example.com\",}",
                "{} trailing",
                "{\"a\":NaN}",
                "{\"a\":1e999999}",
                "{\"a\":-}",
                "{\"a\":\"\\ud800\"}",
                "{\"a\":\"\\x41\"}",
                "\u0000",
                "{\"email\":\"a@example.com\",\"email\":\"b@example.com\",\"password\":\"" + PASSWORD + "\"}",
                "[".repeat(20_000) + "]".repeat(20_000),
                "{\"a\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001),
                "{\"pad\":\"" + "x".repeat(70_000) + "\"}"));
        List<byte[]> bodies = new ArrayList<>(texts.stream()
                .map(text -> text.getBytes(StandardCharsets.UTF_8))
                .toList());
        bodies.add(new byte[] {'{', '"', 'e', 'm', 'a', 'i', 'l', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}'});
        bodies.add(new byte[] {(byte) 0xfe, (byte) 0xff, 0, '{', 0, '}'});
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            noise[0] = '{';
            bodies.add(noise);
        }
        return bodies;
    }

    /** Values of the wrong JSON type, or null, for a string member. */
    static final List<String> WRONG_TYPES =
            List.of("null", "42", "-1.5", "true", "[]", "[\"a@example.com\"]", "{}", "{\"$ne\":null}");

    /** Strings no valid email is: look-alikes, invisibles, controls, injections, sizes. */
    static final List<String> HOSTILE_EMAILS = List.of(
            "",
            " ",
            "a\u0000b@example.com",
            "adm\u0131n@example.com",
            "\u0430dmin@example.com",
            "evil\u202emoc.elpmaxe@example.com",
            "e\u0301@example.com",
            "a\u200b@example.com",
            "\ufeffa@example.com",
            "' OR '1'='1' --@example.com",
            "a@example.com'; DROP TABLE users; --",
            "<script>alert(1)</script>@example.com",
            "${jndi:ldap://127.0.0.1/x}@example.com",
            "a@example.com\r\nX-Injected: 1",
            "x".repeat(300) + "@example.com",
            "x".repeat(50_000));

    @Test
    void aValidBodyWithTextAfterItOrHalfASurrogatePairIsRefusedAndChangesNothing() {
        String email = email("one-value");
        String body = credentials(email, PASSWORD);
        String second = email("second");
        for (String after : List.of(" trailing", "{}", credentials(second, PASSWORD), "]", "\"x\"")) {
            Reply reply = AUTH.post("/users", body + after);
            assertEquals(400, reply.status(), () -> after + " -> " + reply);
            assertClientError(reply, after);
        }
        Reply halfPair =
                AUTH.post("/users", "{\"email\":" + quote(email) + ",\"password\":\"correct horse \\ud800battery\"}");
        assertEquals(400, halfPair.status(), halfPair::toString);
        assertClientError(halfPair, "half a surrogate pair");
        assertEquals(401, AUTH.post("/login", body).status(), "no account was made by any of them");
        assertEquals(401, AUTH.post("/login", credentials(second, PASSWORD)).status());
        assertEquals(201, AUTH.post("/users", body + " \n\t").status(), "white space after the object is fine");
    }

    @Test
    void fuzzedRequestsAreRefusedWithJsonAndChangeNothing() {
        String canaryEmail = email("canary");
        assertEquals(
                201, AUTH.post("/users", credentials(canaryEmail, PASSWORD)).status());
        String canaryToken = AUTH.post("/login", credentials(canaryEmail, PASSWORD, "auth"))
                .json()
                .getString("access_token");
        String before = accounts();
        List<String> paths = List.of("/users", "/login", "/refresh", "/logout");
        for (String path : paths) {
            for (byte[] body : malformedBodies()) {
                assertClientError(AUTH.post(path, body), path + " " + preview(body));
            }
            assertClientError(
                    AUTH.post(path, "{}".getBytes(StandardCharsets.UTF_8), "Content-Type", "text/plain"),
                    path + " as text/plain");
        }
        for (byte[] body : malformedBodies()) {
            assertClientError(
                    AUTH.sendBytes("PUT", "/users/me/password", body, bearer(canaryToken)),
                    "/users/me/password " + preview(body));
        }
        for (String value : WRONG_TYPES) {
            assertClientError(
                    AUTH.post("/users", "{\"email\":" + value + ",\"password\":" + quote(PASSWORD) + "}"), value);
            assertClientError(
                    AUTH.post("/users", "{\"email\":" + quote(email("t")) + ",\"password\":" + value + "}"), value);
            assertClientError(
                    AUTH.post("/login", "{\"email\":" + value + ",\"password\":" + quote(PASSWORD) + "}"), value);
            assertClientError(AUTH.post("/refresh", "{\"refresh_token\":" + value + "}"), value);
            if (!value.equals("null")) { // a null audience is an absent one
                assertClientError(
                        AUTH.post(
                                "/login",
                                "{\"email\":" + quote(canaryEmail) + ",\"password\":" + quote(PASSWORD)
                                        + ",\"audience\":" + value + "}"),
                        value);
            }
            assertClientError(AUTH.post("/refresh", "{\"refresh_token\":\"x\",\"audience\":" + value + "}"), value);
            assertClientError(AUTH.post("/logout", "{\"refresh_token\":" + value + "}"), value);
            assertClientError(
                    AUTH.send(
                            "PUT",
                            "/users/me/password",
                            "{\"current_password\":" + value + ",\"new_password\":" + quote("a brand new password")
                                    + "}",
                            bearer(canaryToken)),
                    value);
        }
        for (String email : HOSTILE_EMAILS) {
            Reply registered = AUTH.post("/users", credentials(email, PASSWORD));
            assertEquals(400, registered.status(), () -> quote(email) + " -> " + registered);
            assertClientError(registered, email);
            assertClientError(AUTH.post("/refresh", "{\"refresh_token\":" + quote(email) + "}"), email);
            Reply audience = AUTH.post("/login", credentials(canaryEmail, PASSWORD, email));
            assertEquals(400, audience.status(), () -> quote(email) + " as audience -> " + audience);
            assertClientError(audience, email);
        }
        for (String password : List.of("nul \u0000 inside it", "line\nbreak inside", "escape \u001b[31m red")) {
            assertEquals(
                    400, AUTH.post("/users", credentials(email("p"), password)).status(), quote(password));
            assertEquals(
                    400,
                    AUTH.send(
                                    "PUT",
                                    "/users/me/password",
                                    "{\"current_password\":" + quote(PASSWORD) + ",\"new_password\":" + quote(password)
                                            + "}",
                                    bearer(canaryToken))
                            .status(),
                    quote(password));
        }
        for (String bad : List.of("x".repeat(2000), "' OR '1'='1", "\u0000")) {
            assertClientError(
                    AUTH.send(
                            "PUT",
                            "/users/me/password",
                            "{\"current_password\":" + quote(bad) + ",\"new_password\":" + quote("a brand new password")
                                    + "}",
                            bearer(canaryToken)),
                    bad);
        }

        assertEquals(before, accounts(), "no account was created or changed");
        assertEquals(
                200,
                AUTH.post("/login", credentials(canaryEmail, PASSWORD)).status(),
                "the canary's password is unchanged");
    }

    @Test
    void hostileEmailsAtLoginAreOrdinaryFailures() {
        for (String email : List.of("' OR '1'='1' --@example.com", "\u0430dmin@example.com")) {
            Reply reply = AUTH.post("/login", credentials(email, PASSWORD));
            assertEquals(401, reply.status(), reply::toString);
            assertEquals("Invalid credentials", reply.detail());
        }
        // a NUL is refused in any body, whatever the account (PostgreSQL refuses it in a query)
        Reply nul = AUTH.post("/login", credentials("a\u0000b@example.com", PASSWORD));
        assertEquals(400, nul.status(), nul::toString);
        assertEquals("The request body must not contain the NUL character (\\u0000)", nul.detail());
    }

    @Test
    void aPasswordIsTheSameWhicheverWayItsCharactersAreComposed() {
        String email = email("unicode");
        String composed = "caf\u00e9 cr\u00e8me \u05e9\u05dc\u05d5\u05dd \u202e \ud83d\udd11";
        String decomposed = "cafe\u0301 cre\u0300me \u05e9\u05dc\u05d5\u05dd \u202e \ud83d\udd11";
        assertEquals(201, AUTH.post("/users", credentials(email, composed)).status());
        assertEquals(200, AUTH.post("/login", credentials(email, composed)).status());
        assertEquals(
                200,
                AUTH.post("/login", credentials(email, decomposed)).status(),
                "NFC and NFD spellings of one password");
        assertEquals(
                401,
                AUTH.post("/login", credentials(email, composed.replace("\u202e", "")))
                        .status(),
                "but it is not stripped of what it contains");
    }

    // ---- enumeration and brute force

    @Test
    void anAccountIsLockedAfterFiveFailuresEvenForTheRightPassword() {
        String victim = email("victim");
        String bystander = email("bystander");
        assertEquals(201, AUTH.post("/users", credentials(victim, PASSWORD)).status());
        assertEquals(201, AUTH.post("/users", credentials(bystander, PASSWORD)).status());

        for (int i = 1; i <= 5; i++) {
            Reply guess = AUTH.post("/login", credentials(victim, "guess number " + i));
            assertEquals(401, guess.status(), "failure " + i + " is an ordinary failure: " + guess);
        }
        Reply locked = AUTH.post("/login", credentials(victim, PASSWORD));
        assertEquals(429, locked.status(), locked::toString);
        assertEquals("Too many failed logins; try again later", locked.detail());
        long retryAfter = Long.parseLong(locked.header("Retry-After"));
        assertTrue(retryAfter > 0 && retryAfter <= 61, "the first lockout lasts 60 s: " + retryAfter);
        assertEquals(
                429, AUTH.post("/login", credentials(victim, "guess number 6")).status());

        assertEquals(
                200, AUTH.post("/login", credentials(bystander, PASSWORD)).status(), "other accounts are not locked");
        String unknown = email("nobody");
        for (int i = 1; i <= 5; i++) {
            AUTH.post("/login", credentials(unknown, "guess number " + i));
        }
        assertEquals(
                429,
                AUTH.post("/login", credentials(unknown, PASSWORD)).status(),
                "an unknown email locks the same way, so a lockout reveals nothing");
    }

    @Test
    @FreshAuth
    @Order(Order.DEFAULT + 1)
    void unknownEmailsAndWrongPasswordsTakeTheSameTime() {
        int samples = 20;
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < samples / 4 + 1; i++) {
            String email = email("timing");
            assertEquals(201, AUTH.post("/users", credentials(email, PASSWORD)).status());
            accounts.add(email);
        }
        // warm-up, one of each, not measured
        Reply unknownReply = AUTH.post("/login", credentials(email("warm"), "wrong password here"));
        Reply wrongReply = AUTH.post("/login", credentials(accounts.get(samples / 4), "wrong password here"));
        assertEquals(unknownReply.status(), wrongReply.status());
        assertEquals(unknownReply.body(), wrongReply.body(), "identical bodies");

        long[] unknown = new long[samples];
        long[] wrong = new long[samples];
        Random order = new Random(11);
        for (int i = 0; i < samples; i++) {
            boolean unknownFirst = order.nextBoolean();
            // four wrong passwords per account keep each below its lockout (five)
            String known = accounts.get(i / 4);
            for (int turn = 0; turn < 2; turn++) {
                boolean measureUnknown = (turn == 0) == unknownFirst;
                String email = measureUnknown ? email("nobody") : known;
                long start = System.nanoTime();
                Reply reply = AUTH.post("/login", credentials(email, "wrong password " + i));
                long nanos = System.nanoTime() - start;
                assertEquals(401, reply.status(), reply::toString);
                assertEquals(wrongReply.body(), reply.body());
                if (measureUnknown) {
                    unknown[i] = nanos;
                } else {
                    wrong[i] = nanos;
                }
            }
        }
        double medianUnknown = median(unknown);
        double medianWrong = median(wrong);
        double ratio = medianUnknown / medianWrong;
        double superiority = probabilityOfSuperiority(unknown, wrong);
        System.out.printf(
                "login timing: unknown email median %.1f ms, wrong password median %.1f ms, ratio %.3f,"
                        + " P(unknown slower) %.2f%n",
                medianUnknown / 1e6, medianWrong / 1e6, ratio, superiority);
        // without the dummy hash an unknown email answers in about 1 % of the time of a wrong password
        assertTrue(ratio > 0.8 && ratio < 1.25, "median ratio " + ratio);
        assertTrue(
                superiority > 0.15 && superiority < 0.85,
                "neither kind is consistently faster: P(unknown slower) = " + superiority);
    }

    @Test
    @FreshAuth
    @Order(Order.DEFAULT + 1)
    void anAddressIsLockedAfterFiftyFailuresAcrossAccounts() {
        String email = email("honest");
        assertEquals(201, AUTH.post("/users", credentials(email, PASSWORD)).status());
        for (int i = 1; i <= 50; i++) {
            Reply guess = AUTH.post("/login", credentials(email("spray"), "password spraying " + i));
            assertEquals(401, guess.status(), "failure " + i + ": " + guess);
        }
        Reply locked = AUTH.post("/login", credentials(email, PASSWORD));
        assertEquals(429, locked.status(), "the address is locked, even for a right password: " + locked);
        assertNotNull(locked.header("Retry-After"));
    }

    static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /**
     * The Mann-Whitney effect size: the probability that a random sample of {@code a} is larger
     * than one of {@code b} (ties count half). 0.5 when neither is slower; near 0 or 1 when one is.
     */
    static double probabilityOfSuperiority(long[] a, long[] b) {
        double wins = 0;
        for (long x : a) {
            for (long y : b) {
                wins += x > y ? 1 : x == y ? 0.5 : 0;
            }
        }
        return wins / ((double) a.length * b.length);
    }

    static String preview(byte[] body) {
        String text = new String(body, 0, Math.min(body.length, 40), StandardCharsets.ISO_8859_1);
        return quote(text) + (body.length > 40 ? "... (" + body.length + " bytes)" : "");
    }
}
