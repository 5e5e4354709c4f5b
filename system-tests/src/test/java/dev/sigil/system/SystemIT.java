package dev.sigil.system;

import static dev.sigil.testkit.HttpJson.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.TokenMinter;
import jakarta.json.JsonValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole system as users run it: {@code run.sh} starts auth and business as two Payara Micro
 * processes, each with its own embedded database, and a client walks the documented flow.
 * Each test registers its own user, so the tests share no state and run in any order.
 */
class SystemIT {

    static final String PASSWORD = "correct horse battery";

    final HttpJson auth = new HttpJson(Sigil.AUTH);
    final HttpJson business = new HttpJson(Sigil.BUSINESS);

    @BeforeAll
    static void startFresh() throws Exception {
        Sigil.stopAll();
        Sigil.wipe();
        Sigil.start();
    }

    @AfterAll
    static void stop() {
        Sigil.stopAll();
    }

    static String credentials(String email) {
        return "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}";
    }

    /** The administrator's token for auth's own audience, which the administration endpoints need. */
    String adminToken() {
        return auth.post("/login", "{\"email\":\"" + Sigil.ADMIN_EMAIL + "\",\"password\":\""
                + Sigil.ADMIN_PASSWORD + "\",\"audience\":\"auth\"}").json().getString("access_token");
    }

    static String uniqueEmail() {
        return "s" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    @Test
    void registerLogInAndUseTheTokenAtBusiness() {
        String email = uniqueEmail();
        Reply registered = auth.post("/users", credentials(email));
        assertEquals(201, registered.status(), registered::toString);
        String id = registered.json().getString("id");

        Reply login = auth.post("/login", credentials(email));
        assertEquals(200, login.status(), login::toString);
        String token = login.json().getString("access_token");

        Reply dashboard = business.get("/dashboard", bearer(token));
        assertEquals(200, dashboard.status(), dashboard::toString);
        assertEquals("Access granted", dashboard.json().getString("message"));
        assertEquals(id, dashboard.json().getString("user_id"));
    }

    @Test
    void businessRejectsMissingAndForgedTokensInJson() {
        Reply none = business.get("/dashboard");
        assertEquals(401, none.status(), none::toString);
        assertEquals("Unauthorized", none.detail());
        assertEquals("Bearer realm=\"business\"", none.header("WWW-Authenticate"));

        String email = uniqueEmail();
        auth.post("/users", credentials(email));
        String token = auth.post("/login", credentials(email)).json().getString("access_token");
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        Reply rejected = business.get("/dashboard", bearer(forged));
        assertEquals(401, rejected.status(), rejected::toString);
        assertEquals("Invalid token", rejected.detail());
    }

    @Test
    void serverSettingsFromServerConfigAreApplied() {
        Reply reply = business.get("/status");
        assertEquals(200, reply.status(), reply::toString);
        assertNull(reply.header("Server"), "post-boot command removed the Server header");
        assertNull(auth.get("/.well-known/jwks.json").header("Server"));
    }

    @Test
    void usersAndTheSigningKeySurviveAnAuthRestart() throws Exception {
        String email = uniqueEmail();
        String id = auth.post("/users", credentials(email)).json().getString("id");
        String before = auth.post("/login", credentials(email)).json().getString("access_token");
        assertEquals(200, business.get("/dashboard", bearer(before)).status(), "business knows the key");

        Sigil.stop("auth");
        assertEquals(200, business.get("/dashboard", bearer(before)).status(),
                "business validates locally while auth is down");
        Sigil.start();

        Reply login = auth.post("/login", credentials(email));
        assertEquals(200, login.status(), "the user survived: " + login);
        String after = login.json().getString("access_token");
        assertEquals(kid(before), kid(after), "the signing key survived");
        Reply dashboard = business.get("/dashboard", bearer(before));
        assertEquals(200, dashboard.status(), "a token from before the restart still works: " + dashboard);
        assertEquals(id, business.get("/dashboard", bearer(after)).json().getString("user_id"));
    }

    @Test
    void privateKeysAreSealedWithAGeneratedSecretKeptOutsideTheDatabase() throws Exception {
        Path secret = Sigil.keySecretFile();
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)),
                "readable by auth's user only");
        assertEquals(32, Base64.getUrlDecoder().decode(Files.readString(secret).strip()).length);
        assertFalse(secret.startsWith(Sigil.data("auth").resolve("lib")), "not among the database files");

        Map<String, String> stored = Sigil.storedPrivateKeys();
        assertFalse(stored.isEmpty());
        for (Map.Entry<String, String> key : stored.entrySet()) {
            String column = key.getValue();
            assertFalse(column.startsWith("{") || column.contains("\"d\""), "no plain JWK in the database: " + column);
            assertEquals(5, column.split("\\.").length, "a compact JWE");
            PublicJsonWebKey opened = PublicJsonWebKey.Factory.newPublicJwk(Sigil.opened(column));
            assertNotNull(opened.getPrivateKey(), "the secret file opens it");
            assertEquals(key.getKey(), opened.calculateBase64urlEncodedThumbprint("SHA-256"));
        }
    }

    @Test
    void aFrozenAuthDoesNotSlowBusinessDown() throws Exception {
        String email = uniqueEmail();
        auth.post("/users", credentials(email));
        String token = auth.post("/login", credentials(email)).json().getString("access_token");
        assertEquals(200, business.get("/dashboard", bearer(token)).status());

        Sigil.signal("auth", "STOP");
        try {
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                Reply reply = business.get("/dashboard", bearer(token));
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, reply.status(), reply::toString);
                assertTrue(ms < 1000, "answered in " + ms + " ms while auth is frozen");
                Thread.sleep(200);
            }
        } finally {
            Sigil.signal("auth", "CONT");
        }
    }

    @Test
    void eachRejectedTokenIsOneLogLine() throws Exception {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        Reply rejected = business.get("/dashboard", bearer(new TokenMinter(Sigil.AUTH, "business").token(claims -> { },
                jws -> jws.setKeyIdHeaderValue(marker))));
        assertEquals(401, rejected.status(), rejected::toString);
        String email = uniqueEmail();
        auth.post("/users", credentials(email));
        String token = auth.post("/login", credentials(email)).json().getString("access_token");
        String tampered = TokenMinter.tampered(token, "sub", "\"someone-else\"");
        assertEquals(401, business.get("/dashboard", bearer(tampered)).status(), "the validator itself rejects this one");
        Thread.sleep(500);
        String log = Sigil.log("business");
        assertTrue(log.contains("Bearer token rejected: unknown key id (kid " + marker + ")"), "the rejection is logged");
        assertTrue(log.contains("Bearer token rejected: signature, type, issuer or audience check failed"));
        assertFalse(log.contains("SignedJWTIdentityStore"), "and the validator's stack trace is not");
    }

    @Test
    void noRequestFailsDuringAKeyRotation() throws Exception {
        String email = uniqueEmail();
        auth.post("/users", credentials(email));
        String before = auth.post("/login", credentials(email)).json().getString("access_token");
        String admin = adminToken();

        Reply rotated = auth.post("/admin/keys/rotate?algorithm=ES256", "", bearer(admin));
        assertEquals(202, rotated.status(), rotated::toString);
        String next = rotated.json().getString("kid");
        Instant switchAt = Instant.parse(rotated.json().getString("activates_at"));

        Set<String> kids = new HashSet<>();
        while (Instant.now().isBefore(switchAt.plusSeconds(3))) {
            String token = auth.post("/login", credentials(email)).json().getString("access_token");
            kids.add(kid(token));
            Reply fresh = business.get("/dashboard", bearer(token));
            assertEquals(200, fresh.status(), "a token signed by " + kid(token) + ": " + fresh);
            assertEquals(200, business.get("/dashboard", bearer(before)).status(), "the token from before the rotation");
            Thread.sleep(250);
        }
        assertEquals(Set.of(kid(before), next), kids, "signing switched to the new key");
        String last = auth.post("/login", credentials(email)).json().getString("access_token");
        assertEquals("ES256", header(last, "alg"), "and to its algorithm, which business accepts");
        assertEquals(200, business.get("/dashboard", bearer(before)).status());
    }

    @Test
    void aWeakPasswordHashIsUpgradedAtTheNextLogin() throws Exception {
        String email = uniqueEmail();
        Sigil.stop("auth");
        try {
            Sigil.start(Map.of("AUTH_PASSWORD_ITERATIONS", "2048"));
            assertEquals(201, auth.post("/users", credentials(email)).status());
        } finally {
            Sigil.stop("auth");
            Sigil.start();
        }

        assertTrue(upgradePending(email), "stored with the platform default of 2,048 iterations, configured 600,000");
        assertEquals(200, auth.post("/login", credentials(email)).status());
        assertFalse(upgradePending(email), "re-hashed by the login");
        assertEquals(200, auth.post("/login", credentials(email)).status(), "and the new hash verifies");
    }

    private boolean upgradePending(String email) {
        String admin = adminToken();
        Reply users = auth.get("/admin/users?size=100", bearer(admin));
        assertEquals(200, users.status(), users::toString);
        return users.json().getJsonArray("users").stream().map(JsonValue::asJsonObject)
                .filter(user -> user.getString("email").equals(email)).findFirst().orElseThrow()
                .getBoolean("password_upgrade_pending");
    }

    private static String header(String token, String name) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        return jws.getHeader(name);
    }

    private static String kid(String token) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        return jws.getKeyIdHeaderValue();
    }
}
