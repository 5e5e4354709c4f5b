package dev.sigil.auth;

import static dev.sigil.testkit.HttpJson.bearer;
import static dev.sigil.testkit.TestUsers.PASSWORD;
import static dev.sigil.testkit.TestUsers.credentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import dev.sigil.testkit.TokenMinter;
import dev.sigil.testkit.WarConfig;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OAuth 2.0 surface of the auth WAR as built: the token endpoint's three grants, revocation,
 * introspection, userinfo, discovery, and the administration of confidential clients. Requests
 * are made by hand here, byte for byte, so every protocol error can be provoked; the system
 * tests drive the same endpoints with a client library. Each test registers its own users and
 * clients, so tests share no state and run in any order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OAuthIT {

    static final String FORM = "application/x-www-form-urlencoded";
    static final String APP = "sigil-app";

    @ArquillianResource
    URL base;

    HttpJson auth;

    /** Refresh tokens live {@value #REFRESH_SECONDS} s here, so that a test can see one expire. */
    static final int REFRESH_SECONDS = 8;

    /** A second public client, configured here beside the default one. */
    static final String OTHER_APP = "other-app";

    /** Sessions last at most {@value #MAX_SESSION_SECONDS} s here, however often they refresh. */
    static final int MAX_SESSION_SECONDS = 16;

    /** The WAR as built, with short-lived refresh tokens and sessions. */
    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        return WarConfig.append(
                AuthIT.deployment(),
                "auth.refresh.lifetime-seconds=" + REFRESH_SECONDS,
                "auth.refresh.max-session-seconds=" + MAX_SESSION_SECONDS,
                "auth.oauth.public-clients=" + APP + "," + OTHER_APP);
    }

    @BeforeEach
    void client() {
        auth = new HttpJson(base.toString());
    }

    // ---- helpers -------------------------------------------------------------------------

    /** A form body from name, value pairs, each form-encoded. */
    static String form(String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parts.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", parts);
    }

    Reply post(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = FORM;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return auth.post(path, body, all);
    }

    static String[] basic(String clientId, String secret) {
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return new String[] {
            "Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))
        };
    }

    String adminToken() {
        Reply reply = auth.post("/login", credentials("ops@example.com", "arquillian-admin-password", "auth"));
        assertEquals(200, reply.status(), reply::toString);
        return reply.json().getString("access_token");
    }

    /** Registers a user; the email. */
    String newUser() {
        String email = AuthIT.uniqueEmail();
        Reply registered = auth.post("/users", credentials(email, PASSWORD));
        assertEquals(201, registered.status(), registered::toString);
        return email;
    }

    Reply createClient(String admin, String clientId, String groups, String audiences) {
        return auth.post(
                "/admin/clients",
                "{\"client_id\":\"" + clientId + "\",\"groups\":" + groups + ",\"audiences\":" + audiences + "}",
                bearer(admin));
    }

    /** A new confidential client of group orders-reader for business; its id and secret. */
    String[] newClient(String admin, String audiences) {
        String id = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = createClient(admin, id, "[\"orders-reader\"]", audiences);
        assertEquals(201, created.status(), created::toString);
        return new String[] {id, created.json().getString("client_secret")};
    }

    /** The password grant of the public app; {@code more} adds parameter names and values. */
    Reply passwordGrant(String email, String password, String... more) {
        List<String> pairs = new ArrayList<>(
                List.of("grant_type", "password", "client_id", APP, "username", email, "password", password));
        pairs.addAll(List.of(more));
        return post("/oauth2/token", form(pairs.toArray(String[]::new)));
    }

    Reply refreshGrant(String refreshToken) {
        return refreshGrant(APP, refreshToken);
    }

    Reply refreshGrant(String publicClient, String refreshToken) {
        return post(
                "/oauth2/token",
                form("grant_type", "refresh_token", "client_id", publicClient, "refresh_token", refreshToken));
    }

    Reply clientCredentials(String[] client, String... more) {
        List<String> pairs = new ArrayList<>(List.of("grant_type", "client_credentials"));
        pairs.addAll(List.of(more));
        return post("/oauth2/token", form(pairs.toArray(String[]::new)), basic(client[0], client[1]));
    }

    Reply introspect(String[] client, String token) {
        return post("/oauth2/introspect", form("token", token), basic(client[0], client[1]));
    }

    static JsonObject claims(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return Json.createReader(new StringReader(payload)).readObject();
    }

    static List<String> strings(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(JsonString::getString);
    }

    /**
     * An RFC 6749 section 5.2 error: status, code, never cached, never Sigil's own shape; a 401
     * challenges for Basic in the realm of the context root, whichever layer answered.
     */
    static void assertOAuthError(Reply reply, int status, String error) {
        assertEquals(status, reply.status(), reply::toString);
        assertEquals(error, reply.json().getString("error"), reply::toString);
        assertFalse(reply.json().getString("error_description").isBlank(), reply::toString);
        assertFalse(reply.json().containsKey("detail"), reply::toString);
        assertEquals("no-store", reply.header("Cache-Control"), reply::toString);
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply::toString);
        if (status == 401) {
            assertEquals("Basic realm=\"auth\", charset=\"UTF-8\"", reply.header("WWW-Authenticate"), reply::toString);
        }
    }

    // ---- token endpoint ------------------------------------------------------------------

    @Test
    void clientCredentialsGiveAServiceATokenOfItsOwn() {
        String[] client = newClient(adminToken(), "[\"business\",\"auth\"]");
        Reply basic = clientCredentials(client);
        assertEquals(200, basic.status(), basic::toString);
        assertEquals("no-store", basic.header("Cache-Control"));
        assertEquals("Bearer", basic.json().getString("token_type"));
        assertEquals(300, basic.json().getInt("expires_in"));
        assertFalse(basic.json().containsKey("refresh_token"), "no refresh token for client credentials");
        JsonObject claims = claims(basic.json().getString("access_token"));
        assertEquals(client[0], claims.getString("sub"));
        assertEquals(client[0], claims.getString("client_id"));
        assertEquals(List.of("orders-reader"), strings(claims, "groups"));
        assertEquals(List.of("business"), strings(claims, "aud"), "the first allowed audience by default");
        assertEquals("http://localhost:8080/auth", claims.getString("iss"));

        Reply post = post(
                "/oauth2/token",
                form(
                        "grant_type",
                        "client_credentials",
                        "client_id",
                        client[0],
                        "client_secret",
                        client[1],
                        "audience",
                        "auth"));
        assertEquals(200, post.status(), post::toString);
        assertEquals(List.of("auth"), strings(claims(post.json().getString("access_token")), "aud"));
        Reply resource = clientCredentials(client, "resource", "auth");
        assertEquals(200, resource.status(), resource::toString);
        assertEquals(List.of("auth"), strings(claims(resource.json().getString("access_token")), "aud"));
    }

    /**
     * A service's token names no account: the endpoints of an account's own (userinfo, the
     * password change, logout everywhere) need group {@code user}, which no client has.
     */
    @Test
    void aClientTokenIsForbiddenAtTheEndpointsOfAnAccount() {
        String[] client = newClient(adminToken(), "[\"auth\"]");
        Reply token = clientCredentials(client);
        assertEquals(200, token.status(), token::toString);
        String[] bearer = bearer(token.json().getString("access_token"));
        for (Reply reply : List.of(
                auth.get("/users/me", bearer),
                auth.post("/users/me", "", bearer),
                auth.send(
                        "PUT",
                        "/users/me/password",
                        "{\"current_password\":\"x\",\"new_password\":\"a new passphrase\"}",
                        bearer),
                auth.post("/logout-all", "", bearer))) {
            assertEquals(403, reply.status(), reply::toString);
            assertEquals("Forbidden", reply.json().getString("detail"), reply::toString);
        }
        assertEquals(200, clientCredentials(client).status(), "the client itself is untouched");
    }

    @Test
    void aClientGetsOnlyItsOwnConfiguredAudiences() {
        String[] client = newClient(adminToken(), "[\"business\"]");
        assertOAuthError(clientCredentials(client, "audience", "auth"), 400, "invalid_target");
        assertOAuthError(clientCredentials(client, "audience", "nowhere"), 400, "invalid_target");
        assertOAuthError(clientCredentials(client, "audience", "business", "resource", "auth"), 400, "invalid_request");
        assertEquals(
                200,
                clientCredentials(client, "audience", "business", "resource", "business")
                        .status());
    }

    @Test
    void passwordAndRefreshGrantsActForUsersOfPublicClients() {
        String email = newUser();
        Reply login = passwordGrant(email, PASSWORD);
        assertEquals(200, login.status(), login::toString);
        assertEquals("no-store", login.header("Cache-Control"));
        String refresh = login.json().getString("refresh_token");
        JsonObject claims = claims(login.json().getString("access_token"));
        assertEquals(List.of("business"), strings(claims, "aud"), "the JSON API's default audience");
        assertFalse(claims.containsKey("client_id"));

        Reply rotated = post(
                "/oauth2/token",
                form("grant_type", "refresh_token", "client_id", APP, "refresh_token", refresh, "audience", "auth"));
        assertEquals(200, rotated.status(), rotated::toString);
        assertEquals(List.of("auth"), strings(claims(rotated.json().getString("access_token")), "aud"));
        String next = rotated.json().getString("refresh_token");
        assertNotEquals(refresh, next);

        assertOAuthError(refreshGrant(refresh), 400, "invalid_grant");
        assertOAuthError(refreshGrant(next), 400, "invalid_grant");
        assertInvalidAtJsonApi(next, "reuse detection ended the whole session, as at /auth/refresh");

        assertOAuthError(passwordGrant(email, "wrong password here"), 400, "invalid_grant");
        assertOAuthError(passwordGrant("nobody-" + email, PASSWORD), 400, "invalid_grant");
        assertOAuthError(passwordGrant(email, PASSWORD, "audience", "nowhere"), 400, "invalid_target");
    }

    /**
     * A refresh token is bound to the client it was issued to (RFC 6749 section 10.4): another
     * public client, or the JSON API, is refused with it and the token stays unspent for its own
     * client; the same for a session started at the JSON API.
     */
    @Test
    void aRefreshTokenIsSpentOnlyByTheClientItWasIssuedTo() {
        String email = newUser();
        String issued = passwordGrant(email, PASSWORD).json().getString("refresh_token");
        assertOAuthError(refreshGrant(OTHER_APP, issued), 400, "invalid_grant");
        assertInvalidAtJsonApi(issued, "a token of the OAuth client at the JSON API");
        Reply own = refreshGrant(issued);
        assertEquals(200, own.status(), "still unspent, no reuse: " + own);
        Reply othersSuccessor = refreshGrant(OTHER_APP, own.json().getString("refresh_token"));
        assertOAuthError(othersSuccessor, 400, "invalid_grant");

        Reply jsonLogin = auth.post("/login", credentials(email, PASSWORD));
        assertEquals(200, jsonLogin.status(), jsonLogin::toString);
        String fromJson = jsonLogin.json().getString("refresh_token");
        assertOAuthError(refreshGrant(fromJson), 400, "invalid_grant");
        Reply json = auth.post("/refresh", "{\"refresh_token\":\"" + fromJson + "\"}");
        assertEquals(200, json.status(), "the JSON API's own token: " + json);

        Reply otherApp = post(
                "/oauth2/token",
                form("grant_type", "password", "client_id", OTHER_APP, "username", email, "password", PASSWORD));
        assertEquals(200, otherApp.status(), otherApp::toString);
        Reply otherAppRefresh = refreshGrant(OTHER_APP, otherApp.json().getString("refresh_token"));
        assertEquals(200, otherAppRefresh.status(), "each client refreshes its own: " + otherAppRefresh);
    }

    /**
     * A public client may name itself as HTTP Basic with an empty secret, as requests-oauthlib
     * sends a client without a secret, and may name no client at the refresh grant (RFC 6749
     * section 6): it is then the client the token is bound to. Binding still holds: another
     * public client is refused, a token of the JSON API or of no client needs a client named, and
     * a confidential client's id with an empty secret is no authentication.
     */
    @Test
    void aPublicClientMayNameItselfAsClientLibrariesDo() {
        String email = newUser();
        Reply granted = post(
                "/oauth2/token",
                form("grant_type", "password", "username", email, "password", PASSWORD),
                basic(APP, ""));
        assertEquals(200, granted.status(), granted::toString);
        Reply unnamed = post(
                "/oauth2/token",
                form(
                        "grant_type",
                        "refresh_token",
                        "refresh_token",
                        granted.json().getString("refresh_token")));
        assertEquals(200, unnamed.status(), "a refresh naming no client: " + unnamed);
        String next = unnamed.json().getString("refresh_token");
        assertOAuthError(
                post("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", next), basic(OTHER_APP, "")),
                400,
                "invalid_grant");
        Reply basic = post("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", next), basic(APP, ""));
        assertEquals(200, basic.status(), "unspent by the other client's try: " + basic);
        Reply revoked = post("/oauth2/revoke", form("token", basic.json().getString("refresh_token")), basic(APP, ""));
        assertEquals(200, revoked.status(), revoked::toString);

        Reply jsonLogin = auth.post("/login", credentials(email, PASSWORD));
        assertEquals(200, jsonLogin.status(), jsonLogin::toString);
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form(
                                "grant_type",
                                "refresh_token",
                                "refresh_token",
                                jsonLogin.json().getString("refresh_token"))),
                401,
                "invalid_client");
        Reply unknown = post("/oauth2/token", form("grant_type", "refresh_token", "refresh_token", "no-such-token"));
        assertOAuthError(unknown, 400, "invalid_grant");
        assertEquals(
                "Invalid refresh token",
                unknown.json().getString("error_description"),
                "as for a token the grant refuses once a client is named: " + unknown);
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form("grant_type", "client_credentials", "scope", "orders", "audience", "nowhere")),
                401,
                "invalid_client");
        String[] client = newClient(adminToken(), "[\"business\"]");
        assertOAuthError(
                post("/oauth2/token", form("grant_type", "client_credentials"), basic(client[0], "")),
                401,
                "invalid_client");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form("grant_type", "password", "username", email, "password", PASSWORD),
                        basic(client[0], "")),
                401,
                "invalid_client");
    }

    /**
     * A refresh token stored before tokens were bound to a client (Flyway V10 left its
     * {@code client_id} empty) is taken from whichever client presents it, and its successor is
     * bound to that client.
     */
    @Test
    void aTokenStoredBeforeBindingIsBoundAtItsNextRefresh() {
        Reply login = auth.post("/login", credentials(newUser(), PASSWORD));
        assertEquals(200, login.status(), login::toString);
        String userId = claims(login.json().getString("access_token")).getString("sub");
        assertEquals(
                1, AuthDatabase.update("UPDATE sigil_refresh_token SET client_id = NULL WHERE user_id = ?", userId));
        Reply taken = refreshGrant(login.json().getString("refresh_token"));
        assertEquals(200, taken.status(), "an unbound token, from the OAuth client: " + taken);
        String successor = taken.json().getString("refresh_token");
        assertInvalidAtJsonApi(successor, "the successor is the OAuth client's");
        assertEquals(200, refreshGrant(successor).status(), "and unspent by that refusal");
    }

    void assertInvalidAtJsonApi(String refreshToken, String message) {
        Reply reply = auth.post("/refresh", "{\"refresh_token\":\"" + refreshToken + "\"}");
        assertEquals(401, reply.status(), message + ": " + reply);
    }

    @Test
    void aDisabledAccountGetsNoTokensAndRefreshesNoMore() {
        String email = newUser();
        Reply login = passwordGrant(email, PASSWORD);
        assertEquals(200, login.status(), login::toString);
        String userId = claims(login.json().getString("access_token")).getString("sub");
        Reply disabled = auth.post("/admin/users/" + userId + "/disable", "", bearer(adminToken()));
        assertEquals(200, disabled.status(), disabled::toString);
        assertOAuthError(passwordGrant(email, PASSWORD), 400, "invalid_grant");
        assertOAuthError(refreshGrant(login.json().getString("refresh_token")), 400, "invalid_grant");
    }

    @Test
    void repeatedWrongPasswordsAreThrottledLikeLogins() {
        String email = newUser();
        for (int i = 0; i < 5; i++) {
            assertOAuthError(passwordGrant(email, "wrong password " + i), 400, "invalid_grant");
        }
        Reply locked = passwordGrant(email, PASSWORD);
        assertOAuthError(locked, 429, "invalid_grant");
        assertTrue(Integer.parseInt(locked.header("Retry-After")) >= 1, locked::toString);
    }

    @Test
    void eachGrantIsForItsKindOfClient() {
        String[] client = newClient(adminToken(), "[\"business\"]");
        Reply confidentialPassword = post(
                "/oauth2/token",
                form("grant_type", "password", "username", "a@example.com", "password", "whatever password"),
                basic(client[0], client[1]));
        assertOAuthError(confidentialPassword, 400, "unauthorized_client");
        assertOAuthError(
                post("/oauth2/token", form("grant_type", "client_credentials", "client_id", APP)),
                400,
                "unauthorized_client");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form("grant_type", "refresh_token", "refresh_token", "x"),
                        basic(client[0], client[1])),
                400,
                "unauthorized_client");
    }

    /**
     * What the container refuses before the endpoint runs also gets the protocol's error: a
     * Content-Type header that does not parse (Jersey refuses it while matching the request) is
     * {@code invalid_request}, and a Bearer token that MicroProfile JWT rejects is
     * {@code invalid_client} with the Basic challenge, not the Bearer one of the other endpoints;
     * so is a valid Bearer token, of any audience, since it authenticates no client.
     */
    @Test
    void whatTheContainerRefusesAtTheOAuthEndpointsIsAnOAuthError() {
        String[] client = newClient(adminToken(), "[\"business\"]");
        String[] clientBasic = basic(client[0], client[1]);
        String validForBusiness = clientCredentials(client).json().getString("access_token");
        for (String path : List.of("/oauth2/token", "/oauth2/revoke", "/oauth2/introspect")) {
            String body = "grant_type=client_credentials&token=x";
            for (String contentType : List.of(FORM + "; charset", "form", FORM + "; =x")) {
                assertOAuthError(
                        auth.post(path, body, "Content-Type", contentType, clientBasic[0], clientBasic[1]),
                        400,
                        "invalid_request");
            }
            assertOAuthError(post(path, body, "Authorization", "Bearer not.a.token"), 401, "invalid_client");
            assertOAuthError(post(path, body, "Authorization", "Bearer " + "x".repeat(40)), 401, "invalid_client");
            // a valid token for another audience is no client authentication either, not the wrong token
            assertOAuthError(post(path, body, "Authorization", "Bearer " + validForBusiness), 401, "invalid_client");
            // other spellings of the same endpoint, which JAX-RS matches too
            String name = path.substring("/oauth2/".length());
            String escaped = "/oauth2/%" + Integer.toHexString(name.charAt(0)) + name.substring(1);
            for (String spelling : List.of(path + "/", escaped, path + ";x=1")) {
                assertOAuthError(post(spelling, body, "Authorization", "Bearer not.a.token"), 401, "invalid_client");
            }
            // a query parameter given twice, which Sigil refuses everywhere, is invalid_request here
            assertOAuthError(post(path + "?x=1&x=2", body, clientBasic[0], clientBasic[1]), 400, "invalid_request");
        }
        // elsewhere the same mistakes keep the service's own error shape and Bearer challenge
        Reply elsewhere = auth.post("/users/me", "{}", "Content-Type", "form", "Authorization", "Bearer not.a.token");
        assertEquals(401, elsewhere.status(), elsewhere::toString);
        assertTrue(elsewhere.header("WWW-Authenticate").startsWith("Bearer "), elsewhere::toString);
        assertFalse(elsewhere.json().containsKey("error_description"), elsewhere::toString);
        Reply login = auth.post("/login", "{}", "Content-Type", "form");
        assertEquals(400, login.status(), login::toString);
        assertTrue(login.json().containsKey("detail"), login::toString);
        // a known limit (docs/SECURITY.md): a public endpoint refuses a Bearer token that fails too
        Reply publicWithBadToken = auth.post(
                "/login", credentials("ops@example.com", "arquillian-admin-password", "auth"), bearer("not.a.token"));
        assertEquals(401, publicWithBadToken.status(), publicWithBadToken::toString);
        assertTrue(publicWithBadToken.header("WWW-Authenticate").startsWith("Bearer "), publicWithBadToken::toString);
        // a valid token for business sent along is no reason to refuse a public endpoint
        Reply publicWithBusinessToken = auth.post(
                "/login",
                credentials("ops@example.com", "arquillian-admin-password", "auth"),
                bearer(validForBusiness));
        assertEquals(200, publicWithBusinessToken.status(), publicWithBusinessToken::toString);
        Reply refreshWithBusinessToken = auth.post(
                "/refresh",
                "{\"refresh_token\":\"" + publicWithBusinessToken.json().getString("refresh_token") + "\"}",
                bearer(validForBusiness));
        assertEquals(200, refreshWithBusinessToken.status(), refreshWithBusinessToken::toString);
        // and the endpoint still works for a well-formed request after them
        Reply token = post("/oauth2/token", form("grant_type", "client_credentials"), clientBasic);
        assertEquals(200, token.status(), token::toString);
    }

    @Test
    void badRequestsGetTheProtocolsErrorCodesNeverA500() {
        String[] client = newClient(adminToken(), "[\"business\"]");
        Reply json = auth.post("/oauth2/token", "{\"grant_type\":\"client_credentials\"}", basic(client[0], client[1]));
        assertOAuthError(json, 400, "invalid_request");
        assertOAuthError(
                auth.post(
                        "/oauth2/token",
                        "grant_type=client_credentials",
                        basic(client[0], client[1])[0],
                        basic(client[0], client[1])[1],
                        "Content-Type",
                        "text/plain"),
                400,
                "invalid_request");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form("grant_type", "client_credentials", "client_id", client[0], "client_secret", client[1])
                                + "&grant_type=password"),
                400,
                "invalid_request");
        assertOAuthError(post("/oauth2/token", "", basic(client[0], client[1])), 400, "invalid_request");
        assertOAuthError(
                post("/oauth2/token", "grant_type=client_credentials&x=%zz", basic(client[0], client[1])),
                400,
                "invalid_request");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        "grant_type=client_credentials&pad=" + "x".repeat(9000),
                        basic(client[0], client[1])),
                400,
                "invalid_request");
        assertOAuthError(
                post("/oauth2/token", form("grant_type", "password", "client_id", APP, "username", "a@example.com")),
                400,
                "invalid_request");
        assertOAuthError(clientCredentials(client, "scope", "openid"), 400, "invalid_scope");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form("grant_type", "authorization_code", "code", "x"),
                        basic(client[0], client[1])),
                400,
                "unsupported_grant_type");
        assertOAuthError(
                post("/oauth2/token", form("grant_type", "client_credentials"), basic(client[0], "wrong")),
                401,
                "invalid_client");
        assertOAuthError(
                post("/oauth2/token", form("grant_type", "client_credentials"), basic("no-such-client", "x")),
                401,
                "invalid_client");
        assertOAuthError(
                post("/oauth2/token", form("grant_type", "client_credentials"), "Authorization", "Basic not*base64"),
                401,
                "invalid_client");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form("grant_type", "client_credentials", "client_id", client[0], "client_secret", "wrong")),
                401,
                "invalid_client");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form(
                                "grant_type",
                                "password",
                                "client_id",
                                "unknown-app",
                                "username",
                                "a@example.com",
                                "password",
                                "whatever password")),
                401,
                "invalid_client");
        assertOAuthError(
                post(
                        "/oauth2/token",
                        form("grant_type", "client_credentials", "client_secret", client[1]),
                        basic(client[0], client[1])),
                400,
                "invalid_request");
        assertOAuthError(post("/oauth2/token", form("grant_type", "client_credentials")), 401, "invalid_client");
    }

    @Test
    void concurrentRefreshesWithOneTokenLetExactlyOneWin() throws Exception {
        Reply login = passwordGrant(newUser(), PASSWORD);
        String refreshToken = login.json().getString("refresh_token");
        List<Reply> replies = Concurrently.atOnce(16, i -> refreshGrant(refreshToken));
        assertEquals(1, replies.stream().filter(reply -> reply.status() == 200).count(), replies::toString);
        replies.stream()
                .filter(reply -> reply.status() != 200)
                .forEach(reply -> assertOAuthError(reply, 400, "invalid_grant"));
        // the others were replays of a spent token: reuse, which ended the session the winner continued
        String successor = replies.stream()
                .filter(reply -> reply.status() == 200)
                .findFirst()
                .orElseThrow()
                .json()
                .getString("refresh_token");
        assertOAuthError(refreshGrant(successor), 400, "invalid_grant");
    }

    // ---- client administration -----------------------------------------------------------

    @Test
    void administratorsManageClientsAndSecretsAreShownOnce() {
        String admin = adminToken();
        String id = "reporting-" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = createClient(admin, id, "[\"orders-reader\"]", "[\"business\"]");
        assertEquals(201, created.status(), created::toString);
        assertEquals("no-store", created.header("Cache-Control"));
        assertEquals(
                "/auth/admin/clients/" + id,
                created.header("Location"),
                "a path: no scheme or host taken from what the container saw");
        String secret = created.json().getString("client_secret");
        assertTrue(Base64.getUrlDecoder().decode(secret).length == 32, "256 random bits");
        assertEquals(List.of("business"), strings(created.json(), "audiences"));

        Reply one = auth.get("/admin/clients/" + id, bearer(admin));
        assertEquals(200, one.status(), one::toString);
        assertFalse(one.body().contains(secret) || one.json().containsKey("client_secret"), one::toString);
        assertEquals(List.of("orders-reader"), strings(one.json(), "groups"));
        assertEquals(
                created.json().getString("created_at"),
                one.json().getString("created_at"),
                "the time the database keeps, in the answer that created it too");
        Reply all = auth.get("/admin/clients", bearer(admin));
        assertEquals(200, all.status(), all::toString);
        assertTrue(
                all.json().getJsonArray("clients").stream()
                        .map(JsonValue::asJsonObject)
                        .anyMatch(client -> client.getString("client_id").equals(id)),
                all::toString);
        assertFalse(all.body().contains("client_secret"), all::toString);

        Reply renewed = auth.post("/admin/clients/" + id + "/secret", "", bearer(admin));
        assertEquals(200, renewed.status(), renewed::toString);
        String newSecret = renewed.json().getString("client_secret");
        assertNotEquals(secret, newSecret);
        assertOAuthError(clientCredentials(new String[] {id, secret}), 401, "invalid_client");
        assertEquals(200, clientCredentials(new String[] {id, newSecret}).status(), "the new secret works");

        Reply deleted = auth.send("DELETE", "/admin/clients/" + id, null, bearer(admin));
        assertEquals(204, deleted.status(), deleted::toString);
        for (Reply gone : List.of(
                auth.get("/admin/clients/" + id, bearer(admin)),
                auth.send("DELETE", "/admin/clients/" + id, null, bearer(admin)),
                auth.post("/admin/clients/" + id + "/secret", "", bearer(admin)))) {
            assertEquals(404, gone.status(), gone::toString);
            assertEquals("Client not found", gone.detail());
        }
        assertOAuthError(clientCredentials(new String[] {id, newSecret}), 401, "invalid_client");
        // the id was the deleted client's tokens' subject: a new client must not inherit what
        // other services keep under it
        Reply again = createClient(admin, id, "[\"orders-reader\"]", "[\"business\"]");
        assertEquals(409, again.status(), again::toString);
        assertEquals(404, auth.get("/admin/clients/" + id, bearer(admin)).status(), "nothing created");
    }

    @Test
    void badClientRegistrationsAreRefusedPerField() {
        String admin = adminToken();
        assertField(createClient(admin, "x", "[]", "[\"business\"]"), "client_id");
        assertField(createClient(admin, "has space", "[]", "[\"business\"]"), "client_id");
        assertField(createClient(admin, UUID.randomUUID().toString(), "[]", "[\"business\"]"), "client_id");
        assertField(createClient(admin, "svc-ok-1", "[\"admin\"]", "[\"business\"]"), "groups");
        assertField(createClient(admin, "svc-ok-1", "[\"user\"]", "[\"business\"]"), "groups");
        assertField(createClient(admin, "svc-ok-1", "[\"bad group\"]", "[\"business\"]"), "groups");
        assertField(createClient(admin, "svc-ok-1", "[]", "[]"), "audiences");
        assertField(createClient(admin, "svc-ok-1", "[]", "[\"nowhere\"]"), "audiences");
        assertField(createClient(admin, "svc-ok-1", "[]", "[\"business\",\"business\"]"), "audiences");
        for (String groups : List.of("[1,2]", "[false]", "\"user\"")) {
            Reply typed = createClient(admin, "svc-ok-1", groups, "[\"business\"]");
            assertEquals(400, typed.status(), typed::toString);
            assertTrue(typed.detail().startsWith("groups: must be a JSON array"), typed::toString);
        }
        Reply missing = auth.post("/admin/clients", "{\"client_id\":\"svc-ok-1\"}", bearer(admin));
        assertField(missing, "audiences");
        Reply wrongType = auth.post("/admin/clients", "{\"client_id\":7,\"audiences\":[\"business\"]}", bearer(admin));
        assertEquals(400, wrongType.status(), wrongType::toString);
        assertEquals(404, auth.get("/admin/clients/svc-ok-1", bearer(admin)).status(), "nothing was created");
        assertEquals(
                404, auth.get("/admin/clients/no-such-client", bearer(admin)).status());
    }

    static void assertField(Reply reply, String field) {
        assertEquals(400, reply.status(), reply::toString);
        assertTrue(reply.json().getJsonObject("errors").containsKey(field), reply::toString);
    }

    @Test
    void aTakenClientIdIsAConflictEvenUnderConcurrentRegistrations() throws Exception {
        String admin = adminToken();
        Reply publicId = createClient(admin, APP, "[]", "[\"business\"]");
        assertEquals(409, publicId.status(), "a public client's id");
        assertEquals("Client id already taken by a public client (auth.oauth.public-clients)", publicId.detail());
        String id = "race-" + UUID.randomUUID().toString().substring(0, 8);
        List<Reply> replies = Concurrently.atOnce(12, i -> createClient(admin, id, "[]", "[\"business\"]"));
        assertEquals(1, replies.stream().filter(reply -> reply.status() == 201).count(), replies::toString);
        replies.stream()
                .filter(reply -> reply.status() != 201)
                .forEach(reply -> assertEquals(409, reply.status(), reply::toString));
    }

    /**
     * Registrations of a new id racing its deletion, in rounds (until five deletions went
     * through, at most twenty): whenever the deletion went through, the id is retired and no
     * client has it afterwards, whichever registration won.
     */
    @Test
    void anIdDeletedWhileItIsBeingRegisteredStaysRetired() throws Exception {
        String admin = adminToken();
        int deleted = 0;
        for (int round = 0; round < 20 && deleted < 5; round++) {
            String id = "race-" + UUID.randomUUID().toString().substring(0, 8);
            List<Reply> replies = Concurrently.atOnce(
                    9,
                    i -> i == 4
                            ? auth.send("DELETE", "/admin/clients/" + id, null, bearer(admin))
                            : createClient(admin, id, "[]", "[\"business\"]"));
            Reply deletion = replies.get(4);
            assertTrue(deletion.status() == 204 || deletion.status() == 404, deletion::toString);
            if (deletion.status() == 204) {
                deleted++;
                Reply after = auth.get("/admin/clients/" + id, bearer(admin));
                assertEquals(404, after.status(), "deleted, yet registered again: " + replies);
            }
            assertEquals(409, createClient(admin, id, "[]", "[\"business\"]").status(), "taken or retired");
        }
        assertTrue(deleted > 0, "no round had its deletion go through: nothing was shown");
    }

    @Test
    void clientAdministrationIsForAdministratorsWithATokenForAuth() {
        String admin = adminToken();
        String[] client = newClient(admin, "[\"business\"]");
        String user = auth.post("/login", credentials(newUser(), PASSWORD, "auth"))
                .json()
                .getString("access_token");
        Reply adminForBusiness =
                auth.post("/login", credentials("ops@example.com", "arquillian-admin-password", "business"));
        String wrongAudience = adminForBusiness.json().getString("access_token");
        String path = "/admin/clients/" + client[0];
        for (String[] call : List.of(
                new String[] {"GET", "/admin/clients"},
                new String[] {"POST", "/admin/clients"},
                new String[] {"GET", path},
                new String[] {"DELETE", path},
                new String[] {"POST", path + "/secret"})) {
            String body = call[0].equals("POST") && call[1].equals("/admin/clients")
                    ? "{\"client_id\":\"svc-denied\",\"audiences\":[\"business\"]}"
                    : call[0].equals("POST") ? "" : null;
            assertEquals(401, auth.send(call[0], call[1], body).status(), String.join(" ", call) + " without a token");
            assertEquals(
                    403,
                    auth.send(call[0], call[1], body, bearer(user)).status(),
                    String.join(" ", call) + " as a user");
            assertEquals(
                    401,
                    auth.send(call[0], call[1], body, bearer(wrongAudience)).status(),
                    String.join(" ", call) + " with an admin's business token");
        }
        String[] serviceToken = {clientCredentials(client).json().getString("access_token")};
        assertEquals(
                401, auth.get("/admin/clients", bearer(serviceToken[0])).status(), "a business token of a service");
        String[] authClient = newClient(admin, "[\"auth\"]");
        String authToken = clientCredentials(authClient).json().getString("access_token");
        for (String[] call : List.of(
                new String[] {"GET", "/admin/clients"},
                new String[] {"GET", "/admin/users"},
                new String[] {"POST", path + "/secret"},
                new String[] {"POST", "/admin/keys/rotate"})) {
            assertEquals(
                    403,
                    auth.send(call[0], call[1], call[0].equals("POST") ? "" : null, bearer(authToken))
                            .status(),
                    String.join(" ", call) + " with a service's token for auth");
        }
        assertEquals(200, clientCredentials(client).status(), "nothing was changed by the refused calls");
        assertEquals(404, auth.get("/admin/clients/svc-denied", bearer(admin)).status());
    }

    // ---- revocation and introspection -----------------------------------------------------

    @Test
    void introspectionDescribesLiveTokensToConfidentialClientsOnly() {
        String admin = adminToken();
        String[] client = newClient(admin, "[\"business\"]");
        String service = clientCredentials(client).json().getString("access_token");
        JsonObject described = introspect(client, service).json();
        assertTrue(described.getBoolean("active"), described::toString);
        assertEquals(client[0], described.getString("sub"));
        assertEquals(client[0], described.getString("client_id"));
        assertEquals(List.of("business"), strings(described, "aud"));
        assertEquals("Bearer", described.getString("token_type"));
        assertEquals(claims(service).getInt("exp"), described.getInt("exp"));
        assertEquals(claims(service).getInt("iat"), described.getInt("iat"));

        Reply login = passwordGrant(newUser(), PASSWORD);
        String userId = claims(login.json().getString("access_token")).getString("sub");
        assertEquals(
                userId,
                introspect(client, login.json().getString("access_token"))
                        .json()
                        .getString("sub"));
        String[] authService = newClient(admin, "[\"auth\"]");
        assertEquals(
                List.of("auth"),
                strings(introspect(authService, admin).json(), "aud"),
                "a client of audience auth is told of tokens for auth");

        String foreign = new TokenMinter("http://localhost:8080/auth", "business").token(userId, "user");
        for (String inactive : List.of(
                "not-a-token",
                "a.b.c",
                foreign,
                login.json().getString("access_token") + "x",
                login.json().getString("refresh_token"),
                admin)) {
            Reply reply = introspect(client, inactive);
            assertEquals(200, reply.status(), reply::toString);
            assertEquals(JsonValue.FALSE, reply.json().get("active"), reply::toString);
            assertEquals(1, reply.json().size(), "nothing but active:false " + reply);
        }
        assertOAuthError(post("/oauth2/introspect", form("token", service, "client_id", APP)), 401, "invalid_client");
        assertOAuthError(post("/oauth2/introspect", form("token", service)), 401, "invalid_client");
        assertOAuthError(
                post("/oauth2/introspect", form("token", service), basic(client[0], "wrong")), 401, "invalid_client");
        assertOAuthError(post("/oauth2/introspect", "", basic(client[0], client[1])), 400, "invalid_request");
        assertEquals(
                JsonValue.FALSE, introspect(authService, service).json().get("active"), "nor of tokens for business");
    }

    @Test
    void revocationEndsSessionsAndAnswersAlikeForUnknownTokens() {
        String[] client = newClient(adminToken(), "[\"business\"]");
        Reply login = passwordGrant(newUser(), PASSWORD);
        String refresh = login.json().getString("refresh_token");
        Reply revoked =
                post("/oauth2/revoke", form("token", refresh, "token_type_hint", "refresh_token", "client_id", APP));
        assertEquals(200, revoked.status(), revoked::toString);
        assertOAuthError(refreshGrant(refresh), 400, "invalid_grant");
        assertFalse(
                introspect(client, login.json().getString("access_token"))
                        .json()
                        .getBoolean("active"),
                "the session's access token is revoked with it");
        assertEquals(
                200,
                post("/oauth2/revoke", form("token", refresh, "client_id", APP)).status(),
                "idempotent");
        assertEquals(
                200,
                post("/oauth2/revoke", form("token", "never-issued", "client_id", APP))
                        .status());

        // a session's access token for business, which business sees, ends nothing
        Reply second = passwordGrant(newUser(), PASSWORD);
        String forBusiness = second.json().getString("access_token");
        assertEquals(
                200,
                post("/oauth2/revoke", form("token", forBusiness, "token_type_hint", "access_token", "client_id", APP))
                        .status());
        assertTrue(introspect(client, forBusiness).json().getBoolean("active"), "a token for business ends nothing");
        Reply refreshed = refreshGrant(second.json().getString("refresh_token"));
        assertEquals(200, refreshed.status(), refreshed::toString);
        // the session's access token for auth ends the session
        String email = newUser();
        Reply third = passwordGrant(email, PASSWORD, "audience", "auth");
        assertEquals(200, third.status(), third::toString);
        JsonObject forBusinessToo =
                refreshGrant(third.json().getString("refresh_token")).json();
        assertEquals(
                200,
                post(
                                "/oauth2/revoke",
                                form(
                                        "token",
                                        third.json().getString("access_token"),
                                        "token_type_hint",
                                        "access_token"),
                                basic(client[0], client[1]))
                        .status());
        assertOAuthError(refreshGrant(forBusinessToo.getString("refresh_token")), 400, "invalid_grant");
        assertFalse(
                introspect(client, forBusinessToo.getString("access_token"))
                        .json()
                        .getBoolean("active"),
                "the session's tokens for business go with it");

        String service = clientCredentials(client).json().getString("access_token");
        assertEquals(
                200,
                post("/oauth2/revoke", form("token", service), basic(client[0], client[1]))
                        .status());
        assertFalse(introspect(client, service).json().getBoolean("active"), "a client revokes its own token");
        String[] other = newClient(adminToken(), "[\"business\"]");
        String another = clientCredentials(client).json().getString("access_token");
        assertEquals(
                200,
                post("/oauth2/revoke", form("token", another), basic(other[0], other[1]))
                        .status(),
                "answered alike");
        assertTrue(introspect(client, another).json().getBoolean("active"), "another client revokes no client token");
        assertTrue(
                introspect(client, clientCredentials(client).json().getString("access_token"))
                        .json()
                        .getBoolean("active"),
                "a token issued after the revocation works");

        assertOAuthError(post("/oauth2/revoke", form("token", refresh)), 401, "invalid_client");
        assertOAuthError(
                post("/oauth2/revoke", form("token", refresh, "client_id", "unknown-app")), 401, "invalid_client");
        assertOAuthError(post("/oauth2/revoke", form("client_id", APP)), 400, "invalid_request");
    }

    /**
     * A spent refresh token presented after it expired is still reuse: the session ends, so a
     * thief who refreshed first does not keep it because its owner came back later; an expired
     * token that was never spent is only refused.
     */
    @Test
    void aSpentRefreshTokenPresentedAfterItExpiredIsStillReuse() throws InterruptedException {
        String[] observer = newClient(adminToken(), "[\"business\"]");
        Reply owner = passwordGrant(newUser(), PASSWORD);
        Reply thief = refreshGrant(owner.json().getString("refresh_token"));
        assertEquals(200, thief.status(), thief::toString);
        Reply unspent = passwordGrant(newUser(), PASSWORD);
        Thread.sleep((REFRESH_SECONDS + 1) * 1000L);
        assertOAuthError(refreshGrant(owner.json().getString("refresh_token")), 400, "invalid_grant");
        assertFalse(
                introspect(observer, thief.json().getString("access_token"))
                        .json()
                        .getBoolean("active"),
                "the thief's session ended with the reuse");
        assertOAuthError(refreshGrant(unspent.json().getString("refresh_token")), 400, "invalid_grant");
        assertTrue(
                introspect(observer, unspent.json().getString("access_token"))
                        .json()
                        .getBoolean("active"),
                "an expired unspent token ends nothing");
    }

    /**
     * A session ends at its longest life however often it refreshes: a refresh near the end
     * gets a refresh token that expires with the session, and after the end that token is
     * refused by the JSON API and the token endpoint alike. A later session of the same user is
     * untouched.
     */
    @Test
    void aSessionEndsAtItsLongestLifeHoweverOftenItRefreshes() throws InterruptedException {
        String email = newUser();
        // the session starts on the server between these two moments (a login is a password check)
        long sent = System.nanoTime();
        Reply login = auth.post("/login", credentials(email, PASSWORD));
        long granted = System.nanoTime();
        assertEquals(200, login.status(), login::toString);
        assertEquals(REFRESH_SECONDS, login.json().getInt("refresh_expires_in"), login::toString);

        sleepUntil(granted, 3);
        Reply early = auth.post("/refresh", refreshBody(login));
        assertEquals(200, early.status(), early::toString);
        assertEquals(REFRESH_SECONDS, early.json().getInt("refresh_expires_in"), "far from the end: the usual life");

        sleepUntil(granted, 10);
        long before = System.nanoTime();
        Reply late = auth.post("/refresh", refreshBody(early));
        long after = System.nanoTime();
        assertEquals(200, late.status(), late::toString);
        int left = late.json().getInt("refresh_expires_in");
        assertTrue(
                left < REFRESH_SECONDS
                        && left >= MAX_SESSION_SECONDS - seconds(after - sent) - 1
                        && left <= MAX_SESSION_SECONDS - seconds(before - granted),
                "near the end: only what is left of the session, " + left + " s");

        sleepUntil(granted, MAX_SESSION_SECONDS - 3);
        Reply other = auth.post("/login", credentials(email, PASSWORD));
        assertEquals(200, other.status(), other::toString);

        sleepUntil(granted, MAX_SESSION_SECONDS + 1);
        Reply ended = auth.post("/refresh", refreshBody(late));
        assertEquals(401, ended.status(), ended::toString);
        assertEquals("Invalid refresh token", ended.detail());
        assertOAuthError(refreshGrant(late.json().getString("refresh_token")), 400, "invalid_grant");
        Reply otherRefreshed = auth.post("/refresh", refreshBody(other));
        assertEquals(200, otherRefreshed.status(), "the later session lives on: " + otherRefreshed);
    }

    static String refreshBody(Reply grant) {
        return "{\"refresh_token\":\"" + grant.json().getString("refresh_token") + "\"}";
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    static void sleepUntil(long startNanos, long seconds) throws InterruptedException {
        long wait = startNanos + seconds * 1_000_000_000L - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000L + 1);
        }
    }

    /**
     * Grants with the old secret racing a new secret, or the client's deletion (the last
     * round): once the new secret or the deletion is answered, every token they were given is
     * revoked, and those that came too late were refused.
     */
    @Test
    void grantsRacingANewSecretLeaveNoLiveTokenOfTheOldOne() throws Exception {
        String admin = adminToken();
        String[] observer = newClient(admin, "[\"business\"]");
        for (int round = 0; round < 4; round++) {
            String[] client = newClient(admin, "[\"business\"]");
            boolean deletion = round == 3;
            Concurrently.Race<Reply, Reply> race = Concurrently.around(
                    4,
                    8,
                    i -> () -> clientCredentials(client),
                    () -> deletion
                            ? auth.send("DELETE", "/admin/clients/" + client[0], null, bearer(admin))
                            : auth.post("/admin/clients/" + client[0] + "/secret", "", bearer(admin)));
            assertEquals(deletion ? 204 : 200, race.action().status(), race.action()::toString);
            int issued = 0;
            for (Reply grant : race.requests()) {
                if (grant.status() == 200) {
                    issued++;
                    String token = grant.json().getString("access_token");
                    assertFalse(introspect(observer, token).json().getBoolean("active"), token);
                } else {
                    assertOAuthError(grant, 401, "invalid_client");
                }
            }
            assertTrue(issued > 0, "no grant before the new secret or the deletion");
        }
    }

    /**
     * A client's tokens are cut off after the newest one's issue time as the client's row stores
     * it (its {@code iat_ms}), not only after the revoking instance's clock: here the stored time
     * is moved a minute ahead, as an instance whose clock runs ahead would have written it, and a
     * grant on this instance, whose clock is behind it, leaves it there; then a new secret, a
     * revocation of a token by the client itself, and a deletion (a client each).
     */
    @Test
    void aClientsRevocationReachesTokensIssuedByAClockAhead() {
        String admin = adminToken();
        Map<String, Function<String[], Reply>> revocations = new LinkedHashMap<>();
        revocations.put(
                "a new secret", client -> auth.post("/admin/clients/" + client[0] + "/secret", "", bearer(admin)));
        revocations.put(
                "the client's own revocation",
                client -> post("/oauth2/revoke", form("token", client[2]), basic(client[0], client[1])));
        revocations.put(
                "a deletion", client -> auth.send("DELETE", "/admin/clients/" + client[0], null, bearer(admin)));
        revocations.forEach((revocation, revoke) -> {
            String[] client = newClient(admin, "[\"business\"]");
            String token = clientCredentials(client).json().getString("access_token");
            long issued = claims(token).getJsonNumber("iat_ms").longValue();
            assertEquals(
                    issued,
                    AuthDatabase.number(
                            "SELECT CAST(EXTRACT(EPOCH FROM token_issued_at) * 1000 AS BIGINT) FROM sigil_oauth_client"
                                    + " WHERE client_id = ?",
                            client[0]),
                    "stored with the token's iat_ms");
            AuthDatabase.update(
                    "UPDATE sigil_oauth_client SET token_issued_at = token_issued_at + INTERVAL '60' SECOND"
                            + " WHERE client_id = ?",
                    client[0]);
            assertEquals(200, clientCredentials(client).status(), "a grant by a clock behind");
            Reply revoked = revoke.apply(new String[] {client[0], client[1], token});
            assertTrue(revoked.status() / 100 == 2, revoked::toString);
            assertEquals(
                    issued + 60_001,
                    AuthDatabase.number(
                            "SELECT MAX(before_ms) FROM sigil_token_revocation WHERE subject_id = ?", client[0]),
                    revocation);
        });
    }

    @Test
    void deletingOrReSecretingAClientRevokesItsTokens() {
        String admin = adminToken();
        String[] observer = newClient(admin, "[\"business\"]");
        String[] client = newClient(admin, "[\"business\"]");
        String before = clientCredentials(client).json().getString("access_token");
        Reply renewed = auth.post("/admin/clients/" + client[0] + "/secret", "", bearer(admin));
        assertEquals(200, renewed.status(), renewed::toString);
        assertFalse(introspect(observer, before).json().getBoolean("active"), "revoked with the old secret");
        String after = clientCredentials(new String[] {client[0], renewed.json().getString("client_secret")})
                .json()
                .getString("access_token");
        assertTrue(introspect(observer, after).json().getBoolean("active"));
        assertEquals(
                204,
                auth.send("DELETE", "/admin/clients/" + client[0], null, bearer(admin))
                        .status());
        assertFalse(introspect(observer, after).json().getBoolean("active"), "revoked with the client");
        Reply feed = auth.get("/revocations");
        assertEquals(200, feed.status(), feed::toString);
        JsonObject payload = claims(feed.body().strip());
        assertTrue(payload.toString().contains(client[0]), "the signed feed tells business: " + payload);
    }

    @Test
    void theOpenApiDocumentDescribesTheOAuthEndpointsAndClientAdministration() {
        JsonObject api = new ServerEndpoints(base.toString()).openApi();
        for (String path : List.of("/oauth2/token", "/oauth2/revoke", "/oauth2/introspect")) {
            JsonObject operation = ServerEndpoints.operation(api, path, "post");
            assertEquals(
                    Set.of("application/x-www-form-urlencoded"),
                    operation
                            .getJsonObject("requestBody")
                            .getJsonObject("content")
                            .keySet(),
                    "a form, and no JSON, which the endpoint refuses: " + operation);
            assertTrue(
                    operation.getJsonObject("responses").keySet().containsAll(List.of("200", "400", "401")),
                    operation::toString);
            List<JsonObject> security = operation.getJsonArray("security").getValuesAs(JsonObject.class);
            assertTrue(
                    security.stream().anyMatch(requirement -> requirement.containsKey("clientBasic")),
                    () -> "HTTP Basic, for confidential clients: " + operation);
            if (!path.equals("/oauth2/introspect")) {
                assertTrue(
                        security.stream().anyMatch(JsonObject::isEmpty),
                        () -> "or none, for public clients: " + operation);
            }
        }
        for (String[] call : List.of(
                new String[] {"/admin/clients", "post"},
                new String[] {"/admin/clients", "get"},
                new String[] {"/admin/clients/{id}", "get"},
                new String[] {"/admin/clients/{id}", "delete"},
                new String[] {"/admin/clients/{id}/secret", "post"})) {
            JsonObject operation = ServerEndpoints.operation(api, call[0], call[1]);
            assertTrue(
                    operation.getJsonObject("responses").keySet().containsAll(List.of("401", "403")),
                    operation::toString);
        }
        JsonObject schemas = api.getJsonObject("components").getJsonObject("schemas");
        assertTrue(schemas.getJsonObject("ClientRegistration")
                .getJsonObject("properties")
                .containsKey("audiences"));
        assertTrue(schemas.containsKey("OAuthErrorBody"), schemas.keySet()::toString);
    }

    // ---- userinfo and discovery -----------------------------------------------------------

    @Test
    void userinfoAnswersWithSubAndEmail() {
        String email = newUser();
        String token = passwordGrant(email, PASSWORD).json().getString("access_token");
        Reply me = auth.get("/users/me", bearer(token));
        assertEquals(200, me.status(), me::toString);
        assertEquals(claims(token).getString("sub"), me.json().getString("sub"));
        assertEquals(me.json().getString("id"), me.json().getString("sub"));
        assertEquals(email, me.json().getString("email"));
    }

    @Test
    void discoveryAdvertisesOnlyWhatSpeaksTheStandards() {
        Reply openid = auth.get("/.well-known/openid-configuration");
        Reply rfc8414 = auth.get("/.well-known/oauth-authorization-server");
        assertEquals(200, openid.status(), openid::toString);
        assertEquals(openid.json(), rfc8414.json());
        JsonObject document = openid.json();
        String issuer = document.getString("issuer");
        String[] client = newClient(adminToken(), "[\"business\"]");
        assertEquals(
                issuer,
                claims(clientCredentials(client).json().getString("access_token"))
                        .getString("iss"));
        assertEquals(issuer + "/oauth2/token", document.getString("token_endpoint"));
        assertEquals(issuer + "/oauth2/revoke", document.getString("revocation_endpoint"));
        assertEquals(issuer + "/oauth2/introspect", document.getString("introspection_endpoint"));
        assertEquals(issuer + "/users/me", document.getString("userinfo_endpoint"));
        assertEquals(issuer + "/.well-known/jwks.json", document.getString("jwks_uri"));
        assertEquals(
                List.of("password", "refresh_token", "client_credentials"), strings(document, "grant_types_supported"));
        assertEquals(
                List.of("client_secret_basic", "client_secret_post", "none"),
                strings(document, "token_endpoint_auth_methods_supported"));
        assertEquals(
                List.of("client_secret_basic", "client_secret_post"),
                strings(document, "introspection_endpoint_auth_methods_supported"));
        assertEquals(List.of(), strings(document, "response_types_supported"));
        assertEquals(List.of("public"), strings(document, "subject_types_supported"));
        assertTrue(document.containsKey("scopes_supported"));
        for (String gone : List.of(
                "refresh_endpoint",
                "end_session_endpoint",
                "registration_endpoint",
                "authorization_endpoint",
                "id_token_signing_alg_values_supported")) {
            assertNull(document.get(gone), gone + " is not advertised: nothing here speaks its standard");
        }
        assertFalse(document.toString().contains("/login"), document::toString);
    }
}
