package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.JwtParts;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import dev.sigil.testkit.TestUsers;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.net.URL;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the component tests of the auth WAR share ({@link SessionsTests}, {@link RevocationTests},
 * {@link AccountsTests}, {@link ThrottlingTests}, {@link SigningKeysTests}): one deployment
 * with lowered throttling limits ({@link AuthComponentsIT}), a client of the test's own address,
 * new users and their logins, and readers of what the server answered. Every test makes the
 * users it needs, so tests run alone and in any order.
 */
interface DeployedAuth {

    /** The administrator arquillian.xml configures. */
    String ADMIN_EMAIL = "ops@example.com";

    String ADMIN_PASSWORD = "arquillian-admin-password";

    /** Failed logins that lock a client address in this deployment. */
    int ADDRESS_FAILURES = 30;
    /** Failed logins from all addresses that lock an account in this deployment. */
    int ACCOUNT_CEILING = 15;

    int REGISTRATIONS_PER_MINUTE = 5;
    int REVOCATION_STREAMS = 3;

    /** Rounds of the tests that race requests against each other. */
    int ROUNDS = 3;

    /** Numbers the client addresses handed out in this run. */
    AtomicInteger ADDRESSES = new AtomicInteger();

    /** Where the WAR is deployed. */
    URL base();

    /** This test's client: every request comes from this test's own address unless it names another. */
    ProxiedClient auth();

    /** A client address no other request of this run has used (198.18.0.0/15, for benchmarks). */
    default String someAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "198.18." + (n / 250) + "." + (n % 250 + 1);
    }

    /** Headers naming the client address, as a trusted proxy would; then any others. */
    default String[] from(String address, String... headers) {
        return ProxiedClient.from(address, headers);
    }

    default ServerEndpoints server() {
        return new ServerEndpoints(base().toString());
    }

    /**
     * Registers a new user and logs in for business: the login response, and the email under
     * "email". Each registration comes from an address of its own, so the tests' many
     * registrations stay below the registration rate.
     */
    default JsonObject newSession() {
        String email = TestUsers.email("u");
        Reply registered = auth().post("/users", TestUsers.credentials(email, PASSWORD), from(someAddress()));
        assertEquals(201, registered.status(), registered::toString);
        return login(email, PASSWORD);
    }

    /** Logs in for business, the audience of a login that names none. */
    default JsonObject login(String email, String password) {
        return login(email, password, null);
    }

    /** Logs in for an audience (null: none named); the response, and the email under "email". */
    default JsonObject login(String email, String password, String audience) {
        Reply reply = auth().post("/login", TestUsers.credentials(email, password, audience));
        assertEquals(200, reply.status(), reply::toString);
        return Json.createObjectBuilder(reply.json()).add("email", email).build();
    }

    /** A token for auth's own account and administration endpoints. */
    default String selfToken(String email, String password) {
        return login(email, password, "auth").getString("access_token");
    }

    /** A token of the configured administrator for auth's own endpoints. */
    default String opsToken() {
        return selfToken(ADMIN_EMAIL, ADMIN_PASSWORD);
    }

    /** A new account, promoted by the configured administrator, logged in after the promotion. */
    default JsonObject newAdministrator() {
        JsonObject session = newSession();
        Reply granted = auth().send("PUT", "/admin/users/" + subject(session) + "/admin", null, bearer(opsToken()));
        assertEquals(200, granted.status(), granted::toString);
        return login(email(session), PASSWORD, "auth");
    }

    default Reply refresh(String refreshToken) {
        return auth().post("/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}");
    }

    default Reply refresh(String refreshToken, String audience) {
        return auth().post(
                        "/refresh", "{\"refresh_token\":\"" + refreshToken + "\",\"audience\":\"" + audience + "\"}");
    }

    default String email(JsonObject session) {
        return session.getString("email");
    }

    default String subject(JsonObject session) {
        return claims(session.getString("access_token")).getString("sub");
    }

    default JsonObject claims(String jwt) {
        return JwtParts.claims(jwt);
    }

    default List<String> audience(String jwt) {
        return claims(jwt).getJsonArray("aud").getValuesAs(JsonString::getString);
    }

    default List<String> groups(JsonObject session) {
        return claims(session.getString("access_token")).getJsonArray("groups").getValuesAs(JsonString::getString);
    }

    /** The key id in a token's header. */
    default String kid(String jwt) {
        return JwtParts.header(jwt).getString("kid");
    }

    default void assertInvalidRefresh(Reply reply) {
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Invalid refresh token", reply.detail());
    }

    /** The 401 of a valid token for another audience than auth's own endpoints accept. */
    default void assertWrongAudience(Reply reply) {
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Token for another audience", reply.detail());
        assertEquals(
                "Bearer realm=\"auth\", error=\"invalid_token\", "
                        + "error_description=\"The access token is not for audience auth\"",
                reply.header("WWW-Authenticate"));
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply::toString);
    }

    /** A token auth refuses on its own endpoints as revoked: RFC 6750 invalid_token saying so. */
    default void assertRevokedAtAuth(String token) {
        Reply reply = auth().get("/users/me", bearer(token));
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Token revoked", reply.detail());
        assertEquals(
                "Bearer realm=\"auth\", error=\"invalid_token\", error_description=\"The access token has been revoked\"",
                reply.header("WWW-Authenticate"));
    }

    default void assertAcceptedAtAuth(String token) {
        Reply reply = auth().get("/users/me", bearer(token));
        assertEquals(200, reply.status(), reply::toString);
    }

    /** Refused: 403 from the account check, or 401 where disabling or demoting also revoked the token. */
    default void assertRefusedAdmin(Reply reply) {
        if (reply.status() == 401) {
            assertEquals("Token revoked", reply.detail(), reply::toString);
        } else {
            assertForbidden(reply);
        }
    }

    default void assertForbidden(Reply reply) {
        assertEquals(403, reply.status(), reply::toString);
        assertEquals("Forbidden", reply.detail());
        assertTrue(reply.header("WWW-Authenticate").contains("error=\"insufficient_scope\""), reply::toString);
    }
}
