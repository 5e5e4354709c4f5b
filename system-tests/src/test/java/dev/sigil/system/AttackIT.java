package dev.sigil.system;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static dev.sigil.testkit.TestUsers.credentials;
import static dev.sigil.testkit.TestUsers.email;
import static dev.sigil.testkit.TokenMinter.base64url;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.JwksServer;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import dev.sigil.testkit.TokenMinter;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known attacks on JWT validation, each sent to both services' protected endpoints (business
 * {@code GET /dashboard}, auth {@code GET /users/me}): every one must be answered 401 (400 or
 * 431 where the header itself is too large), never 200 and never a 5xx.
 * <p>
 * Attacks on the claims only mean something when the signature is right, so the test signs
 * those with auth's real keys, an RS256 and an ES256 one, read from auth's embedded database
 * and opened with the key-encryption secret auth generated under its data directory. A control test shows that a token made this way with honest claims is accepted, so
 * each rejection is caused by the one thing the attack changes.
 * <p>
 * The services, keys and the user the attacks name are set up once; each test makes whatever
 * else it needs (the checks after the attacks send the attacks themselves), so the tests run
 * in any order.
 */
class AttackIT {

    /** The order of the P-256 group: r = s = n is the other classic "psychic signature". */
    static final byte[] P256_N =
            HexFormat.of().parseHex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");

    /*
     * HTTP/1.1: over an upgraded HTTP/2 connection, a header block the server refuses as too
     * large leaves that connection's header compression out of step, and every later request on
     * it is refused too; one attack would spoil the next.
     */
    static final HttpJson AUTH = new HttpJson(Sigil.AUTH, HttpClient.Version.HTTP_1_1);
    static final HttpJson BUSINESS = new HttpJson(Sigil.BUSINESS, HttpClient.Version.HTTP_1_1);
    static final JwksServer ATTACKER = new JwksServer();
    static final TokenMinter STRANGER = new TokenMinter(Sigil.AUTH, "business");

    static String issuer;
    static String userId;
    static String adminId;
    static String email;
    static String refreshToken;
    static TokenMinter rsa;
    static TokenMinter ec;
    static RsaJsonWebKey rsaPublic;

    @BeforeAll
    static void startWithAnRsaAndAnEcKey() throws Exception {
        Sigil.stopAll();
        Sigil.wipe();
        Sigil.start();
        ATTACKER.publish(STRANGER);
        issuer = AUTH.get("/.well-known/openid-configuration").json().getString("issuer");

        email = email("attack");
        String credentials = credentials(email, PASSWORD);
        userId = AUTH.post("/users", credentials).json().getString("id");
        refreshToken = AUTH.post("/login", credentials).json().getString("refresh_token");

        String admin = adminLogin("auth");
        adminId = AUTH.get("/users/me", bearer(admin)).json().getString("id");
        Reply rotated = AUTH.post("/admin/keys/rotate?algorithm=ES256", "", bearer(admin));
        assertEquals(202, rotated.status(), rotated::toString);

        for (Map.Entry<String, String> stored : Sigil.storedPrivateKeys().entrySet()) {
            PublicJsonWebKey key = PublicJsonWebKey.Factory.newPublicJwk(Sigil.opened(stored.getValue()));
            key.setKeyId(stored.getKey());
            if (key instanceof RsaJsonWebKey rsaKey) {
                rsa = new TokenMinter(issuer, "business", key);
                rsaPublic = (RsaJsonWebKey)
                        PublicJsonWebKey.Factory.newPublicJwk(rsaKey.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
            } else {
                ec = new TokenMinter(issuer, "business", key);
            }
        }
        assertNotNull(rsa, "auth's first key is RS256");
        assertNotNull(ec, "the rotation made an ES256 key");
        waitUntilBusinessAccepts(ec);
    }

    /** The administrator's access token for an audience; null names none (business). */
    static String adminLogin(String audience) {
        Reply login = AUTH.post("/login", credentials(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD, audience));
        assertEquals(200, login.status(), login::toString);
        return login.json().getString("access_token");
    }

    @AfterAll
    static void stop() {
        ATTACKER.close();
        Sigil.stopAll();
    }

    /** Business polls auth's keys every two seconds here; waits until it knows this minter's key. */
    static void waitUntilBusinessAccepts(TokenMinter minter) throws InterruptedException {
        String token = honest(minter).get();
        for (int i = 0; i < 50 && BUSINESS.get("/dashboard", bearer(token)).status() != 200; i++) {
            Thread.sleep(200);
        }
        assertEquals(200, BUSINESS.get("/dashboard", bearer(token)).status(), "business knows the key within 10 s");
    }

    // ---- the control: tokens made here with honest claims are accepted, so rejections below are meaningful

    @Test
    void honestTokensSignedWithTheStoredKeysAreAccepted() {
        for (TokenMinter minter : List.of(rsa, ec)) {
            String token = honest(minter).get();
            assertEquals(200, BUSINESS.get("/dashboard", bearer(token)).status(), minter.header());
            Reply me = AUTH.get("/users/me", bearer(token));
            assertEquals(200, me.status(), me::toString);
            assertEquals(userId, me.json().getString("id"));
            String raw = minter.signed(minter.header(), minter.payload(subjectClaims()));
            assertEquals(200, BUSINESS.get("/dashboard", bearer(raw)).status(), "the raw signer signs correctly");
            assertEquals(200, AUTH.get("/users/me", bearer(raw)).status());
        }
    }

    @Test
    void anAudienceListThatContainsOursIsAccepted() {
        String token = rsa.token(claims -> {
            subjectClaims().accept(claims);
            claims.setAudience("billing", "business");
        });
        assertEquals(200, BUSINESS.get("/dashboard", bearer(token)).status());
        assertEquals(200, AUTH.get("/users/me", bearer(token)).status());
    }

    // ---- audience confusion: a token for one service is no key to the other

    /** Every request of auth's that changes something or is for administrators, with a token. */
    static List<Reply> everyStrictEndpoint(String token) {
        List<Reply> replies = new ArrayList<>(everyAdminEndpoint(token, userId));
        replies.addAll(List.of(
                AUTH.post("/logout-all", "", bearer(token)),
                AUTH.send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"" + Sigil.ADMIN_PASSWORD
                                + "\",\"new_password\":\"taken over by business\"}",
                        bearer(token))));
        return replies;
    }

    static void assertWrongAudience(Reply reply) {
        assertEquals(401, reply.status(), reply::toString);
        assertEquals(
                "Bearer realm=\"auth\", error=\"invalid_token\", "
                        + "error_description=\"The access token is not for audience auth\"",
                reply.header("WWW-Authenticate"));
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply::toString);
    }

    /**
     * What a business instance sees, an administrator's token for business, opens none of auth's
     * administration or account endpoints (RFC 8725 section 3.9), whether auth issued it or it is
     * signed with auth's key and claims two audiences; it still reads the caller's own account.
     * Nothing changed: the user is enabled and no admin, no key was added, the admin's password
     * and sessions hold.
     */
    @Test
    void aTokenForBusinessOpensNoneOfAuthsOwnEndpoints() {
        String admin = adminLogin("auth");
        List<String> keysBefore = keyIds(AUTH.get("/admin/keys", bearer(admin)));
        String adminRefresh = AUTH.post("/login", credentials(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD))
                .json()
                .getString("refresh_token");
        Consumer<JwtClaims> asAdmin = claims -> {
            claims.setSubject(adminId);
            claims.setStringListClaim("groups", "admin", "user");
        };
        Map<String, String> tokens = Map.of(
                "issued by auth for business", adminLogin(null),
                "signed with auth's key for business",
                        rsa.token(asAdmin.andThen(claims -> claims.setAudience("business"))),
                "signed with auth's key for auth and business",
                        rsa.token(asAdmin.andThen(claims -> claims.setAudience("auth", "business"))),
                "signed with auth's key for business and auth",
                        ec.token(asAdmin.andThen(claims -> claims.setAudience("business", "auth"))));
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            for (Reply reply : everyStrictEndpoint(token.getValue())) {
                assertWrongAudience(reply);
            }
            Reply me = AUTH.get("/users/me", bearer(token.getValue()));
            assertEquals(200, me.status(), token.getKey() + ": " + me);
            assertEquals(adminId, me.json().getString("id"));
        }
        String control = rsa.token(asAdmin.andThen(claims -> claims.setAudience("auth")));
        assertEquals(200, AUTH.get("/admin/keys", bearer(control)).status(), "the same claims for auth are accepted");

        // the ids only: a key rotated by an earlier test may change its state meanwhile
        assertEquals(keysBefore, keyIds(AUTH.get("/admin/keys", bearer(admin))), "no key was added");
        JsonObject user = AUTH.get("/admin/users?size=100", bearer(admin)).json().getJsonArray("users").stream()
                .map(JsonValue::asJsonObject)
                .filter(account -> account.getString("id").equals(userId))
                .findFirst()
                .orElseThrow();
        assertTrue(user.getBoolean("enabled"), user::toString);
        assertEquals(List.of("user"), user.getJsonArray("groups").getValuesAs(JsonString::getString));
        assertEquals(
                200,
                AUTH.post("/refresh", "{\"refresh_token\":\"" + adminRefresh + "\"}")
                        .status(),
                "the administrator's sessions were not ended");
        adminLogin("auth"); // the password is unchanged
    }

    /** The other way round: a token for auth is refused by business, though auth issued and signed it. */
    @Test
    void aTokenForAuthIsRefusedByBusiness() {
        String credentials = credentials(email, PASSWORD, "auth");
        String forAuth = AUTH.post("/login", credentials).json().getString("access_token");
        assertEquals(200, AUTH.get("/users/me", bearer(forAuth)).status(), "a valid token");
        for (String token :
                List.of(forAuth, rsa.token(subjectClaims().andThen(claims -> claims.setAudience("auth"))))) {
            for (Reply reply : List.of(
                    BUSINESS.get("/dashboard", bearer(token)),
                    BUSINESS.get("/orders", bearer(token)),
                    BUSINESS.post("/orders", "{\"item\":\"teapot\",\"quantity\":1}", bearer(token)))) {
                assertEquals(401, reply.status(), reply::toString);
                assertEquals(
                        "Bearer realm=\"business\", error=\"invalid_token\", "
                                + "error_description=\"The access token is invalid\"",
                        reply.header("WWW-Authenticate"));
            }
        }
        String forBusiness = AUTH.post("/login", credentials.replace("\"auth\"", "\"business\""))
                .json()
                .getString("access_token");
        assertEquals(
                200, BUSINESS.get("/dashboard", bearer(forBusiness)).status(), "the same user's token for business");
        assertEquals(
                0,
                BUSINESS.get("/orders", bearer(forBusiness))
                        .json()
                        .getJsonArray("orders")
                        .size(),
                "no order was placed with the token for auth");
    }

    // ---- one token, one spelling

    static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** An honest token whose part (0 header, 1 payload, 2 signature) ends in a character with unused bits. */
    static String withSpareBits(TokenMinter minter, int part) {
        for (int pad = 0; pad < 3; pad++) {
            String padding = "p".repeat(pad);
            String token = minter.token(
                    subjectClaims().andThen(claims -> claims.setStringClaim("pad", padding)),
                    jws -> jws.setHeader("pad", padding));
            if (token.split("\\.")[part].length() % 4 != 0) {
                return token;
            }
        }
        throw new IllegalStateException("three lengths in a row cannot all be multiples of four");
    }

    /** The same token with the unused low bits of one part's last character set: the same bytes to a decoder. */
    static String otherSpelling(String token, int part) {
        String[] parts = token.split("\\.");
        String text = parts[part];
        int unusedBits = text.length() % 4 == 2 ? 4 : 2;
        int last = BASE64URL.indexOf(text.charAt(text.length() - 1));
        parts[part] = text.substring(0, text.length() - 1) + BASE64URL.charAt(last | ((1 << unusedBits) - 1));
        assertArrayEquals(
                Base64.getUrlDecoder().decode(text), Base64.getUrlDecoder().decode(parts[part]));
        return String.join(".", parts);
    }

    @Test
    void tokensWithSpareBitsInEachPartAreAcceptedInTheirCanonicalSpelling() {
        for (TokenMinter minter : List.of(rsa, ec)) {
            for (int part = 0; part < 3; part++) {
                String token = withSpareBits(minter, part);
                assertEquals(200, BUSINESS.get("/dashboard", bearer(token)).status(), token);
                assertEquals(200, AUTH.get("/users/me", bearer(token)).status(), token);
            }
        }
    }

    @Test
    void theEmbeddedDatabaseServesOnlyLoopback() throws Exception {
        Properties lock = new Properties();
        try (var in = Files.newInputStream(Sigil.data("auth").resolve("lib/databases/embedded_default.lock.db"))) {
            lock.load(in);
        }
        int port = Integer.parseInt(lock.getProperty("server").replaceAll(".*:", ""));
        Loopback.assertOnlyLoopbackAnswers(port, "auth's database");
    }

    // ---- the attacks

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isRejectedByBothServices(String attack, Supplier<String> token) {
        assertRejectedByBothServices(token.get());
    }

    /** Every attack, sent to both services and refused by both. */
    @SuppressWarnings("unchecked")
    static void attackBothServices() {
        attacks().forEach(attack -> assertRejectedByBothServices(((Supplier<String>) attack.get()[1]).get()));
    }

    static void assertRejectedByBothServices(String value) {
        for (HttpJson service : List.of(BUSINESS, AUTH)) {
            String path = service == BUSINESS ? "/dashboard" : "/users/me";
            Reply reply = service.get(path, bearer(value));
            if (value.length() > 8000 && (reply.status() == 400 || reply.status() == 431)) {
                continue; // refused as an oversized header, before any application code
            }
            assertEquals(401, reply.status(), () -> service.base() + path + ": " + reply);
            assertTrue(reply.header("WWW-Authenticate").startsWith("Bearer "), reply::toString);
            assertTrue(reply.header("Content-Type").startsWith("application/json"), reply::toString);
            assertNotNull(reply.detail());
        }
    }

    @Test
    void theAttackersKeyServerWasNeverContacted() {
        attackBothServices();
        assertEquals(0, ATTACKER.requests(), "jku and x5u headers are never followed");
    }

    @Test
    void bothServicesStillServeHonestTokensAfterTheAttacks() {
        attackBothServices();
        String token = honest(ec).get();
        assertEquals(200, BUSINESS.get("/dashboard", bearer(token)).status());
        assertEquals(200, AUTH.get("/users/me", bearer(token)).status());
    }

    /** A scripted guesser fires many guesses at once, so none waits for the answer to the one before. */
    @Test
    void concurrentPasswordGuessesGetNoMoreChecksThanTheLockAllows() throws Exception {
        String victim = email("guessed");
        assertEquals(201, AUTH.post("/users", credentials(victim, PASSWORD)).status());
        ServerEndpoints server = new ServerEndpoints(Sigil.AUTH);
        double failed = server.counter("sigil_logins_total", "outcome=\"failed\"");
        List<Reply> replies =
                Concurrently.atOnce(30, i -> AUTH.post("/login", credentials(victim, "concurrent guess " + i)));
        long checked = assertAtMostFiveChecked(replies, 401);
        assertEquals(
                failed + checked,
                server.counter("sigil_logins_total", "outcome=\"failed\""),
                "one password hash per checked guess");
        Reply locked = AUTH.post("/login", credentials(victim, PASSWORD));
        assertEquals(429, locked.status(), "locked for this address, even for the right password: " + locked);
    }

    /** Someone holding a stolen access token guesses the account's password through the password change. */
    @Test
    void concurrentGuessesOfTheCurrentPasswordAreThrottledLikeLogins() throws Exception {
        String victim = email("changed");
        String credentials = credentials(victim, PASSWORD);
        assertEquals(201, AUTH.post("/users", credentials).status());
        String token = AUTH.post("/login", credentials(victim, PASSWORD, "auth"))
                .json()
                .getString("access_token");
        List<Reply> replies = Concurrently.atOnce(
                30,
                i -> AUTH.send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":" + "\"concurrent guess " + i
                                + "\",\"new_password\":\"the attacker's password\"}",
                        bearer(token)));
        assertAtMostFiveChecked(replies, 403);
        assertEquals(429, AUTH.post("/login", credentials).status(), "and logins from here are locked too");
    }

    /** Every reply is either a checked wrong password or a 429 with {@code Retry-After}; at most five were checked. */
    static long assertAtMostFiveChecked(List<Reply> replies, int wrongPassword) {
        long checked = replies.stream()
                .filter(reply -> reply.status() == wrongPassword)
                .count();
        for (Reply reply : replies) {
            if (reply.status() != wrongPassword) {
                assertEquals(429, reply.status(), reply::toString);
                assertTrue(Long.parseLong(reply.header("Retry-After")) >= 1, reply::toString);
            }
        }
        assertTrue(checked >= 1 && checked <= 5, checked + " of " + replies.size() + " guesses were checked");
        return checked;
    }

    // ---- admin power comes from auth's database on every call, never from the token's groups alone

    static List<String> keyIds(Reply keys) {
        assertEquals(200, keys.status(), keys::toString);
        return keys.json().getJsonArray("keys").getValuesAs(JsonObject.class).stream()
                .map(key -> key.getString("kid"))
                .sorted()
                .toList();
    }

    /** Logs in for auth's own endpoints: a token for audience auth. */
    static String login(String email, String password) {
        Reply login = AUTH.post("/login", credentials(email, password, "auth"));
        assertEquals(200, login.status(), login::toString);
        return login.json().getString("access_token");
    }

    static String opsToken() {
        return login(Sigil.ADMIN_EMAIL, Sigil.ADMIN_PASSWORD);
    }

    /** A new account made administrator by the configured one: its id and an admin token issued after that. */
    static String[] newAdministrator() {
        String email = email("admin");
        String id = AUTH.post("/users", credentials(email, PASSWORD)).json().getString("id");
        Reply granted = AUTH.send("PUT", "/admin/users/" + id + "/admin", null, bearer(opsToken()));
        assertEquals(200, granted.status(), granted::toString);
        String token = login(email, PASSWORD);
        assertEquals(200, AUTH.get("/admin/users", bearer(token)).status(), "an administrator now");
        return new String[] {id, token};
    }

    /**
     * Every admin endpoint (each method of {@code admin/users}, {@code admin/keys} and
     * {@code admin/clients}), self-enabling and self-promotion included, called with this token.
     */
    static List<Reply> everyAdminEndpoint(String token, String ownId) {
        String client = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        return List.of(
                AUTH.get("/admin/users", bearer(token)),
                AUTH.post("/admin/users/" + ownId + "/enable", "", bearer(token)),
                AUTH.send("PUT", "/admin/users/" + ownId + "/admin", null, bearer(token)),
                AUTH.send("DELETE", "/admin/users/" + ownId + "/admin", null, bearer(token)),
                AUTH.post("/admin/users/" + userId + "/disable", "", bearer(token)),
                AUTH.post("/admin/users/" + userId + "/unlock", "", bearer(token)),
                AUTH.post("/admin/users/" + userId + "/revoke-tokens", "", bearer(token)),
                AUTH.get("/admin/keys", bearer(token)),
                AUTH.post("/admin/keys/rotate", "", bearer(token)),
                AUTH.post(
                        "/admin/clients",
                        "{\"client_id\":\"" + client + "\",\"groups\":[\"user\"],\"audiences\":[\"business\"]}",
                        bearer(token)),
                AUTH.get("/admin/clients", bearer(token)),
                AUTH.get("/admin/clients/" + client, bearer(token)),
                AUTH.post("/admin/clients/" + client + "/secret", "", bearer(token)),
                AUTH.send("DELETE", "/admin/clients/" + client, null, bearer(token)));
    }

    /** Disabling or demoting revoked the account's tokens: each admin endpoint says so before any group check. */
    static void assertRevokedEverywhere(String token, String ownId) {
        for (Reply reply : everyAdminEndpoint(token, ownId)) {
            assertEquals(401, reply.status(), reply::toString);
            assertEquals("Token revoked", reply.detail(), reply::toString);
        }
    }

    /**
     * The token is validly signed, unrevoked and keeps its admin group; the account check
     * refuses it on every admin endpoint (403), and nothing changed.
     */
    static void assertNoAdminEndpointAccepts(String token, String ownId) {
        for (Reply reply : everyAdminEndpoint(token, ownId)) {
            assertEquals(403, reply.status(), reply::toString);
            assertTrue(reply.header("WWW-Authenticate").contains("error=\"insufficient_scope\""), reply::toString);
            assertEquals("Forbidden", reply.detail());
        }
        Reply me = AUTH.get("/users/me", bearer(opsToken()));
        assertEquals(200, me.status(), "the configured administrator is untouched: " + me);
        JsonObject victim = account(userId, opsToken());
        assertTrue(victim.getBoolean("enabled"), "the victim was not disabled: " + victim);
    }

    /** The account as administrators see it, from whichever page of the list it is on. */
    static JsonObject account(String id, String adminToken) {
        for (int page = 0; ; page++) {
            Reply users = AUTH.get("/admin/users?size=100&page=" + page, bearer(adminToken));
            assertEquals(200, users.status(), users::toString);
            List<JsonObject> accounts = users.json().getJsonArray("users").getValuesAs(JsonObject.class);
            if (accounts.isEmpty()) {
                throw new AssertionError("no account " + id);
            }
            for (JsonObject account : accounts) {
                if (account.getString("id").equals(id)) {
                    return account;
                }
            }
        }
    }

    /**
     * The token issued before the disable is revoked (401); one signed with auth's key after it,
     * which no revocation covers, still says admin and is refused by the account check (403).
     */
    @Test
    void aDisabledAdministratorsStillValidTokenHasNoAdminPower() {
        String[] admin = newAdministrator();
        assertEquals(
                200,
                AUTH.post("/admin/users/" + admin[0] + "/disable", "", bearer(opsToken()))
                        .status());
        assertRevokedEverywhere(admin[1], admin[0]);
        assertNoAdminEndpointAccepts(adminClaimIssuedNow(admin[0]), admin[0]);
    }

    @Test
    void aDemotedAdministratorsStillValidTokenCannotPromoteItselfBack() {
        String[] admin = newAdministrator();
        assertEquals(
                200,
                AUTH.send("DELETE", "/admin/users/" + admin[0] + "/admin", null, bearer(opsToken()))
                        .status());
        assertRevokedEverywhere(admin[1], admin[0]);
        assertNoAdminEndpointAccepts(adminClaimIssuedNow(admin[0]), admin[0]);
        JsonObject demoted = account(admin[0], opsToken());
        assertFalse(demoted.getJsonArray("groups").toString().contains("\"admin\""), "still demoted: " + demoted);
    }

    @Test
    void aValidlySignedTokenClaimingAdminForAnOrdinaryOrUnknownAccountHasNoAdminPower() {
        String ops = AUTH.get("/users/me", bearer(opsToken())).json().getString("id");
        assertEquals(
                200,
                AUTH.get("/admin/users", bearer(adminClaim(ops))).status(),
                "the control: a token made here for the real administrator is accepted");
        assertNoAdminEndpointAccepts(adminClaim(userId), userId);
        assertNoAdminEndpointAccepts(adminClaim(UUID.randomUUID().toString()), userId);
    }

    /** A token signed with auth's own key whose groups say admin, whatever the account is. */
    static String adminClaim(String subject) {
        return adminClaim(subject, claims -> {});
    }

    static String adminClaim(String subject, Consumer<JwtClaims> more) {
        return rsa.token(((Consumer<JwtClaims>) claims -> {
                    claims.setSubject(subject);
                    claims.setStringListClaim("groups", "user", "admin");
                    claims.setAudience("auth");
                })
                .andThen(more));
    }

    /**
     * {@link #adminClaim} issued at this millisecond ({@code iat_ms}; {@code iat} alone is read
     * as the start of its second, which a revocation earlier in that second covers): a token
     * auth could have issued after the account's revocation, which no revocation covers.
     */
    static String adminClaimIssuedNow(String subject) {
        String token = adminClaim(subject, claims -> claims.setClaim("iat_ms", System.currentTimeMillis() + 1));
        Reply me = AUTH.get("/users/me", bearer(token));
        assertEquals(200, me.status(), "not revoked: " + me);
        return token;
    }

    static Stream<Arguments> attacks() {
        List<Arguments> attacks = new ArrayList<>();
        // alg none, in every spelling, with and without the trailing dot
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            Supplier<String> unsigned =
                    () -> base64url("{\"alg\":\"" + none + "\",\"typ\":\"JWT\",\"kid\":\"" + rsa.kid() + "\"}") + "."
                            + base64url(rsa.payload(subjectClaims()));
            attacks.add(attack("alg " + none + " with trailing dot", () -> unsigned.get() + "."));
            attacks.add(attack("alg " + none + " without trailing dot", unsigned));
        }
        // signatures stripped, flipped, truncated
        attacks.add(attack(
                "stripped signature h.p.", () -> withoutSignature(honest(rsa).get()) + "."));
        attacks.add(attack(
                "stripped signature h.p", () -> withoutSignature(honest(rsa).get())));
        attacks.add(attack(
                "flipped signature bit (RS256)", () -> flipped(honest(rsa).get())));
        attacks.add(
                attack("flipped signature bit (ES256)", () -> flipped(honest(ec).get())));
        attacks.add(attack("truncated signature", () -> {
            String token = honest(rsa).get();
            return token.substring(0, token.length() - 12);
        }));
        // HS256 keyed with the RSA public key, in each form an HMAC library might be handed
        attacks.add(attack("HS256 keyed with the public key as PEM", () -> hs256(pem(false))));
        attacks.add(attack("HS256 keyed with the public key as PEM and newline", () -> hs256(pem(true))));
        attacks.add(attack(
                "HS256 keyed with the public key as DER",
                () -> hs256(rsaPublic.getPublicKey().getEncoded())));
        attacks.add(attack(
                "HS256 keyed with the public key as JWK JSON",
                () -> hs256(rsaPublic
                        .toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)
                        .getBytes(StandardCharsets.UTF_8))));
        // ES256 psychic signatures (CVE-2022-21449)
        attacks.add(attack("ES256 signature r = s = 0", () -> withSignature(ec, new byte[64])));
        attacks.add(attack("ES256 signature r = s = n", () -> {
            byte[] signature = new byte[64];
            System.arraycopy(P256_N, 0, signature, 0, 32);
            System.arraycopy(P256_N, 0, signature, 32, 32);
            return withSignature(ec, signature);
        }));
        // keys the token brings along
        attacks.add(attack(
                "embedded jwk, the attacker's kid",
                () -> STRANGER.token(subjectClaims(), jws -> jws.setJwkHeader(publicOf(STRANGER)))));
        attacks.add(attack(
                "embedded jwk, auth's kid",
                () -> STRANGER.token(subjectClaims(), jws -> {
                    jws.setJwkHeader(publicOf(STRANGER));
                    jws.setKeyIdHeaderValue(rsa.kid());
                })));
        attacks.add(attack(
                "jku to the attacker's server",
                () -> STRANGER.token(subjectClaims(), jws -> jws.setHeader("jku", ATTACKER.url()))));
        attacks.add(attack(
                "jku to the attacker's server, auth's kid",
                () -> STRANGER.token(subjectClaims(), jws -> {
                    jws.setHeader("jku", ATTACKER.url());
                    jws.setKeyIdHeaderValue(rsa.kid());
                })));
        attacks.add(attack(
                "x5u to the attacker's server",
                () -> STRANGER.token(subjectClaims(), jws -> jws.setHeader("x5u", ATTACKER.url() + "?cert.pem"))));
        attacks.add(attack(
                "x5c with the attacker's certificate",
                () -> STRANGER.token(subjectClaims(), jws -> {
                    jws.setKey(SelfSigned.KEY.getPrivateKey());
                    jws.setCertificateChainHeaderValue((X509Certificate) SelfSigned.KEY.getCertificate());
                })));
        attacks.add(attack(
                "x5c with the attacker's certificate, auth's kid",
                () -> STRANGER.token(subjectClaims(), jws -> {
                    jws.setKey(SelfSigned.KEY.getPrivateKey());
                    jws.setCertificateChainHeaderValue((X509Certificate) SelfSigned.KEY.getCertificate());
                    jws.setKeyIdHeaderValue(rsa.kid());
                })));
        // kid injection
        for (Map.Entry<String, String> kid : Map.of(
                        "path traversal", "../../../../dev/null",
                        "SQL fragment", "x' OR '1'='1' --",
                        "empty string", "",
                        "10 KB string", "k".repeat(10 * 1024))
                .entrySet()) {
            attacks.add(attack(
                    "kid " + kid.getKey(),
                    () -> STRANGER.token(subjectClaims(), jws -> jws.setKeyIdHeaderValue(kid.getValue()))));
        }
        attacks.add(attack("kid path traversal, HS256 keyed with nothing", () -> {
            String input = base64url("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"../../../../dev/null\"}") + "."
                    + base64url(rsa.payload(subjectClaims()));
            return input + "." + hmac(input, new byte[1]);
        }));
        // times
        long now = Instant.now().getEpochSecond();
        attacks.add(claims("expired", claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(now - 3900));
            claims.setExpirationTime(NumericDate.fromSeconds(now - 3600));
        }));
        attacks.add(claims("nbf in the future", claims -> claims.setNotBefore(NumericDate.fromSeconds(now + 3600))));
        attacks.add(claims("iat in the future", claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(now + 3600));
            claims.setExpirationTime(NumericDate.fromSeconds(now + 3900));
        }));
        attacks.add(claims(
                "lifetime of ten years",
                claims -> claims.setExpirationTime(NumericDate.fromSeconds(now + 10L * 365 * 86400))));
        // required claims missing, one at a time
        for (String claim : List.of("iss", "sub", "aud", "exp", "iat", "jti")) {
            attacks.add(claims("no " + claim, claims -> claims.unsetClaim(claim)));
        }
        attacks.add(claims("wrong iss", claims -> claims.setIssuer("http://localhost:1/evil")));
        attacks.add(claims("minted for another audience", claims -> claims.setAudience("billing")));
        attacks.add(claims("audience list without ours", claims -> claims.setAudience("billing", "shipping")));
        // header tricks
        attacks.add(attack(
                "unknown crit header",
                () -> rsa.token(subjectClaims(), jws -> {
                    jws.setCriticalHeaderNames("x-unknown");
                    jws.setHeader("x-unknown", "1");
                })));
        attacks.add(attack(
                "typ other than JWT", () -> rsa.token(subjectClaims(), jws -> jws.setHeader("typ", "at+jwt+evil"))));
        attacks.add(attack(
                "repeated alg member in the header",
                () -> rsa.signed(rsa.header().replace("{", "{\"alg\":\"none\","), rsa.payload(subjectClaims()))));
        attacks.add(attack(
                "repeated sub member in the payload",
                () -> rsa.signed(
                        rsa.header(),
                        rsa.payload(subjectClaims()).replace("{", "{\"sub\":\"" + UUID.randomUUID() + "\","))));
        attacks.add(attack(
                "repeated exp member in the payload",
                () -> rsa.signed(
                        rsa.header(),
                        rsa.payload(subjectClaims()).replace("{", "{\"exp\":" + (now + 10L * 365 * 86400) + ","))));
        attacks.add(attack(
                "deeply nested payload",
                () -> STRANGER.signed(
                        STRANGER.header(),
                        STRANGER.payload(subjectClaims())
                                .replace("{", "{\"x\":" + "[".repeat(4000) + "]".repeat(4000) + ","))));
        // sizes
        for (int kilobytes : List.of(8, 64, 1024)) {
            attacks.add(attack(
                    kilobytes + " KB token",
                    () -> STRANGER.token(claims -> {
                        claims.setSubject(userId);
                        claims.setStringClaim("pad", "p".repeat(kilobytes * 1024));
                    })));
        }
        // shapes
        attacks.add(attack("malformed base64url", () -> "eyJ!!!.eyJ***.c2ln"));
        attacks.add(attack(
                "padded standard base64",
                () -> honest(rsa).get().replace('-', '+').replace('_', '/') + "=="));
        attacks.add(attack(
                "malformed JSON header",
                () -> base64url("{\"alg\":\"RS256\",") + "." + base64url(rsa.payload(subjectClaims())) + ".c2ln"));
        attacks.add(attack("2 segments", () -> "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0"));
        attacks.add(attack("4 segments", () -> honest(rsa).get() + ".c2ln"));
        attacks.add(attack("6 segments", () -> honest(rsa).get() + ".a.b.c"));
        attacks.add(attack("a refresh token as bearer token", () -> refreshToken));
        // one token, one spelling: the unused low bits of a part's last character set
        for (String part : List.of("header", "payload", "signature")) {
            int index = List.of("header", "payload", "signature").indexOf(part);
            attacks.add(attack(
                    "non-canonical base64url " + part + " (RS256)",
                    () -> otherSpelling(withSpareBits(rsa, index), index)));
            attacks.add(attack(
                    "non-canonical base64url " + part + " (ES256)",
                    () -> otherSpelling(withSpareBits(ec, index), index)));
        }
        attacks.add(attack("non-canonical spelling of a token already accepted", () -> {
            String token = withSpareBits(rsa, 2);
            assertEquals(200, BUSINESS.get("/dashboard", bearer(token)).status());
            assertEquals(200, AUTH.get("/users/me", bearer(token)).status());
            return otherSpelling(token, 2);
        }));
        attacks.add(attack("empty token", () -> ""));
        return attacks.stream();
    }

    static Arguments attack(String name, Supplier<String> token) {
        return Arguments.of(name, token);
    }

    /** A token signed with auth's real RSA key whose claims are changed as described. */
    static Arguments claims(String name, Consumer<JwtClaims> change) {
        return attack(
                name + " (signed by auth's key)",
                () -> rsa.token(subjectClaims().andThen(change)));
    }

    static Consumer<JwtClaims> subjectClaims() {
        return claims -> {
            claims.setSubject(userId);
            claims.setStringListClaim("groups", "user");
        };
    }

    static Supplier<String> honest(TokenMinter minter) {
        return () -> minter.token(subjectClaims());
    }

    static PublicJsonWebKey publicOf(TokenMinter minter) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(minter.jwk());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String withoutSignature(String token) {
        return token.substring(0, token.lastIndexOf('.'));
    }

    static String withSignature(TokenMinter minter, byte[] signature) {
        return base64url(minter.header()) + "." + base64url(minter.payload(subjectClaims())) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    static String flipped(String token) {
        String[] parts = token.split("\\.");
        byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
        signature[signature.length / 2] ^= 0x01;
        return parts[0] + "." + parts[1] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    }

    static byte[] pem(boolean trailingNewline) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(rsaPublic.getPublicKey().getEncoded());
        String pem =
                "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----" + (trailingNewline ? "\n" : "");
        return pem.getBytes(StandardCharsets.US_ASCII);
    }

    static String hs256(byte[] secret) {
        String input = base64url("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + rsa.kid() + "\"}") + "."
                + base64url(rsa.payload(subjectClaims()));
        return input + "." + hmac(input, secret);
    }

    static String hmac(String input, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA key and a self-signed certificate for it, made once with the JDK's keytool: what an {@code x5c} header carries. */
    static final class SelfSigned {
        static final KeyStore.PrivateKeyEntry KEY = create();

        private static KeyStore.PrivateKeyEntry create() {
            try {
                Path store = Files.createTempDirectory("sigil-x5c").resolve("attacker.p12");
                char[] password = "attacker".toCharArray();
                Process keytool = new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-alias",
                                "attacker",
                                "-keyalg",
                                "RSA",
                                "-keysize",
                                "2048",
                                "-dname",
                                "CN=auth",
                                "-validity",
                                "2",
                                "-storetype",
                                "PKCS12",
                                "-keystore",
                                store.toString(),
                                "-storepass",
                                "attacker")
                        .redirectErrorStream(true)
                        .start();
                String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (keytool.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + output);
                }
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(store)) {
                    keys.load(in, password);
                }
                return (KeyStore.PrivateKeyEntry) keys.getEntry("attacker", new KeyStore.PasswordProtection(password));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
