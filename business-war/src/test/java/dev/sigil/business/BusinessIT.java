package dev.sigil.business;

import static dev.sigil.testkit.HttpJson.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.JwtParts;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import dev.sigil.testkit.TokenMinter;
import dev.sigil.testkit.WarConfig;
import jakarta.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The business WAR as built, in Payara Micro, validating tokens from a test minter. The only
 * change to the WAR is where its MicroProfile JWT configuration finds the public key: the
 * minter's JWKS file instead of a running auth service. Issuer, audience and clock skew are the
 * shipped ones.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BusinessIT {

    static final String ISSUER = "http://localhost:8080/auth";
    static final TokenMinter MINTER = new TokenMinter(ISSUER, "business");
    static final TokenMinter STRANGER = new TokenMinter(ISSUER, "business");

    @ArquillianResource
    URL base;

    HttpJson business;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        String keys = MINTER.writeJwks(Path.of("target", "it-keys", "jwks.json").toAbsolutePath());
        publishEntries(MINTER, "[]"); // auth's feed with nothing revoked yet: readiness waits for one
        return war(keys);
    }

    /** The WAR as built, with its key location replaced and any further settings appended. */
    static WebArchive war(String keyLocation, String... settings) throws IOException {
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/business.war"));
        String config = WarConfig.rewrite(
                war,
                shipped -> shipped.replaceAll(
                                "(?m)^mp\\.jwt\\.verify\\.publickey\\.location=.*$",
                                "mp.jwt.verify.publickey.location=" + keyLocation)
                        + String.join("\n", settings) + "\n");
        assertTrue(config.contains(keyLocation), "the shipped configuration names a key location");
        return war;
    }

    @BeforeEach
    void client() throws InterruptedException {
        ServerEndpoints.awaitApplication(base.toString(), "/status");
        business = new HttpJson(base.toString());
    }

    @Test
    void statusIsPublic() {
        Reply reply = business.get("/status");
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("ok", reply.json().getString("status"));
    }

    /** Content negotiation copies Accept's parameters into the answer's type; the label must stay true. */
    @Test
    void aCharsetAskedForInAcceptDoesNotRelabelTheUtf8Answer() {
        String token = MINTER.token("user-42", "user");
        for (String accept : List.of(
                "application/json; charset=UTF-16", "application/json;charset=foo", "application/json; q=1; x=y")) {
            for (Reply reply : List.of(
                    business.get("/status", "Accept", accept),
                    business.get("/dashboard", "Accept", accept, "Authorization", "Bearer " + token),
                    business.get("/orders/not-an-id", "Accept", accept, "Authorization", "Bearer " + token))) {
                assertEquals("application/json", reply.header("Content-Type"), () -> accept + " -> " + reply);
                assertFalse(reply.json().isEmpty(), reply::toString);
            }
        }
    }

    @Test
    void dashboardAnswersAValidToken() {
        Reply reply = business.get("/dashboard", bearer(MINTER.token("user-42", "user")));
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("Access granted", reply.json().getString("message"));
        assertEquals("user-42", reply.json().getString("user_id"));
        assertEquals("no-store", reply.header("Cache-Control"), "the caller's own answer");
        assertNull(business.get("/status").header("Cache-Control"), "an answer to a request without credentials");
    }

    @Test
    void clockSkewOfSixtySecondsIsAllowed() {
        String justExpired = MINTER.token(claims -> {
            claims.setSubject("user-42");
            claims.setStringListClaim("groups", List.of("user"));
            claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 330));
            claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 30));
        });
        assertEquals(200, business.get("/dashboard", bearer(justExpired)).status());
    }

    @Test
    void noTokenIsUnauthorizedWithABareChallenge() {
        Reply reply = business.get("/dashboard");
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Unauthorized", reply.detail());
        assertEquals("Bearer realm=\"business\"", reply.header("WWW-Authenticate"));
    }

    @Test
    void anotherSchemeCountsAsNoToken() {
        Reply reply = business.get("/dashboard", "Authorization", "Basic dXNlcjpwYXNz");
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Unauthorized", reply.detail());
    }

    /**
     * The container reads a token only after exactly "Bearer" and one space; any other case or
     * more spaces, legal as they are, get a 400 that says how to write the header, not a 401
     * that would have the client throw a valid token away.
     */
    @Test
    void aValidTokenBehindAnotherSpellingOfBearerIsAnInvalidRequest() {
        String token = MINTER.token("user-42", "user");
        assertEquals(200, business.get("/dashboard", bearer(token)).status());
        for (String authorization : List.of("bearer " + token, "BEARER " + token, "Bearer  " + token)) {
            Reply reply = business.get("/dashboard", "Authorization", authorization);
            assertEquals(400, reply.status(), reply::toString);
            assertEquals("Write the Authorization header as 'Bearer', one space and the token", reply.detail());
            assertTrue(
                    reply.header("WWW-Authenticate").startsWith("Bearer realm=\"business\", error=\"invalid_request\""),
                    reply::toString);
            assertTrue(reply.header("Content-Type").startsWith("application/json"), reply::toString);
        }
        Reply order =
                business.post("/orders", "{\"item\":\"book\",\"quantity\":1}", "Authorization", "bearer " + token);
        assertEquals(400, order.status(), order::toString);
    }

    @Test
    void expiredTokenIsRejectedAsExpired() {
        String expired = MINTER.token(claims -> {
            claims.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
            claims.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 300));
            claims.setStringListClaim("groups", List.of("user"));
        });
        Reply reply = business.get("/dashboard", bearer(expired));
        assertInvalid(reply, "Token expired");
        assertTrue(reply.header("WWW-Authenticate").contains("error_description=\"The access token expired\""));
    }

    @Test
    void tamperedTokenIsRejected() {
        String tampered = TokenMinter.tampered(MINTER.token("user-42", "user"), "sub", "\"user-43\"");
        assertInvalid(business.get("/dashboard", bearer(tampered)), "Invalid token");
    }

    @Test
    void tokenSignedByAnotherKeyIsRejected() {
        assertInvalid(business.get("/dashboard", bearer(STRANGER.token("user-42", "user"))), "Invalid token");
    }

    @Test
    void tokenOfAnotherIssuerIsRejected() {
        String token = MINTER.token(claims -> {
            claims.setIssuer("http://evil.example/auth");
            claims.setStringListClaim("groups", List.of("user"));
        });
        assertInvalid(business.get("/dashboard", bearer(token)), "Invalid token");
    }

    @Test
    void tokenForAnotherAudienceIsRejected() {
        String token = MINTER.token(claims -> {
            claims.setClaim("aud", List.of("billing"));
            claims.setStringListClaim("groups", List.of("user"));
        });
        assertInvalid(business.get("/dashboard", bearer(token)), "Invalid token");
    }

    @Test
    void unsignedTokenIsRejected() {
        assertInvalid(business.get("/dashboard", bearer(MINTER.unsigned("user-42", "user"))), "Invalid token");
    }

    @Test
    void garbageIsRejected() {
        assertInvalid(business.get("/dashboard", bearer("not.a.jwt")), "Invalid token");
    }

    @Test
    void anInvalidTokenIsRejectedEvenOnThePublicEndpoint() {
        assertInvalid(business.get("/status", bearer(STRANGER.token("user-42", "user"))), "Invalid token");
    }

    @Test
    void validTokenWithoutTheGroupIsForbidden() {
        Reply reply = business.get("/dashboard", bearer(MINTER.token("user-42", "guest")));
        assertEquals(403, reply.status(), reply::toString);
        assertEquals("Forbidden", reply.detail());
        assertTrue(reply.header("WWW-Authenticate").contains("error=\"insufficient_scope\""), reply::toString);
    }

    @Test
    void unknownPathIsJsonNotFound() {
        Reply reply = business.get("/nowhere");
        assertEquals(404, reply.status(), reply::toString);
        assertEquals("Not Found", reply.detail());
        assertNull(reply.header("WWW-Authenticate"));
    }

    /** The subject of a token, read without verification. */
    static String subject(String token) {
        return JwtParts.claims(token).getString("sub");
    }

    private static void assertInvalid(Reply reply, String detail) {
        assertEquals(401, reply.status(), reply::toString);
        assertTrue(reply.header("Content-Type").startsWith("application/json"), reply::toString);
        assertEquals(detail, reply.detail());
        String challenge = reply.header("WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer realm=\"business\", error=\"invalid_token\""), challenge);
    }

    // what the server serves beside the application: health, metrics, the OpenAPI document

    /** H2 by default; the PostgreSQL run of this class sets it. */
    static final String DATABASE = System.getProperty("sigil.database", "H2");

    @Test
    void readinessNamesTheDatabaseTheKnownKeysAndTheRevocations() throws InterruptedException {
        ServerEndpoints server = new ServerEndpoints(base.toString());
        Reply ready = server.awaitReady(); // the key mirror may still be starting
        assertEquals(200, ready.status(), ready::toString);
        JsonObject database = ServerEndpoints.check(ready, "database").orElseThrow();
        assertEquals("UP", database.getString("status"));
        assertEquals(DATABASE, database.getJsonObject("data").getString("product"));
        JsonObject keys = ServerEndpoints.check(ready, "token-keys").orElseThrow();
        assertEquals("UP", keys.getString("status"));
        assertEquals(MINTER.kid(), keys.getJsonObject("data").getString("kids"));
        JsonObject revocations = ServerEndpoints.check(ready, "revocations").orElseThrow();
        assertEquals("UP", revocations.getString("status"), "the feed was read");
        assertEquals(200, server.live().status());
    }

    @Test
    void rejectedTokensAreCountedByReason() {
        ServerEndpoints server = new ServerEndpoints(base.toString());
        double malformed = server.counter("sigil_token_rejections_total", "reason=\"malformed\"");
        double unknownKey = server.counter("sigil_token_rejections_total", "reason=\"unknown_kid\"");
        double expired = server.counter("sigil_token_rejections_total", "reason=\"expired\"");
        assertEquals(401, business.get("/dashboard", bearer("not-a-token")).status());
        assertEquals(
                401,
                business.get("/dashboard", bearer(STRANGER.token("someone", "user")))
                        .status());
        assertEquals(
                200,
                business.get("/dashboard", bearer(MINTER.token("someone", "user")))
                        .status());
        assertEquals(malformed + 1, server.counter("sigil_token_rejections_total", "reason=\"malformed\""));
        assertEquals(unknownKey + 1, server.counter("sigil_token_rejections_total", "reason=\"unknown_kid\""));
        assertEquals(expired, server.counter("sigil_token_rejections_total", "reason=\"expired\""));
    }

    /** Publishes a revocation feed beside the minter's key set, where business looks for it. */
    static void publishFeed(TokenMinter signer, String subject) throws IOException {
        publishEntries(
                signer, "[{\"sub\":\"" + subject + "\",\"before_ms\":" + (System.currentTimeMillis() + 1000) + "}]");
    }

    /** Publishes a feed of these entries (a JSON array), as auth would. */
    static void publishEntries(TokenMinter signer, String entries) throws IOException {
        String payload = "{\"iat\":" + NumericDate.now().getValue() + ",\"revocations\":" + entries + "}";
        String feed = signer.signed(
                "{\"alg\":\"RS256\",\"typ\":\"revocations+jwt\",\"kid\":\"" + signer.kid() + "\"}", payload);
        Path dir = Path.of("target", "it-keys").toAbsolutePath();
        Path next = Files.createTempFile(dir, "revocations", ".tmp");
        Files.writeString(next, feed);
        Files.move(
                next, dir.resolve("revocations"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Business applies the revocations of a feed signed with a key it trusts for tokens, within
     * its one-second poll, to cached tokens too, and counts and describes the refusal; a feed
     * signed by anyone else changes nothing.
     */
    @Test
    void aSignedFeedRevokesAndAForgedOneDoesNot() throws Exception {
        ServerEndpoints server = new ServerEndpoints(base.toString());
        double revokedBefore = server.counter("sigil_token_rejections_total", "reason=\"revoked\"");
        String spared = "spared-" + System.nanoTime();
        String sparedToken = MINTER.token(spared, "user");
        assertEquals(200, business.get("/dashboard", bearer(sparedToken)).status());
        publishFeed(STRANGER, spared);
        Thread.sleep(2500);
        assertEquals(200, business.get("/dashboard", bearer(sparedToken)).status(), "a forged feed revokes nothing");

        String victim = "victim-" + System.nanoTime();
        String token = MINTER.token(victim, "user");
        assertEquals(200, business.get("/dashboard", bearer(token)).status(), "cached now");
        publishFeed(MINTER, victim);
        long published = System.nanoTime();
        Reply reply = business.get("/dashboard", bearer(token));
        while (reply.status() == 200 && System.nanoTime() - published < 3_000_000_000L) {
            Thread.sleep(50);
            reply = business.get("/dashboard", bearer(token));
        }
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Token revoked", reply.detail());
        assertTrue(
                reply.header("WWW-Authenticate").contains("error_description=\"The access token has been revoked\""));
        assertEquals(revokedBefore + 1, server.counter("sigil_token_rejections_total", "reason=\"revoked\""));
        assertTrue(server.counter("sigil_revocations_known", null) >= 1, "the victim's entry is counted");
        assertEquals(200, business.get("/dashboard", bearer(sparedToken)).status());
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndItsErrors() {
        JsonObject api = new ServerEndpoints(base.toString()).openApi();
        assertEquals("Sigil business", api.getJsonObject("info").getString("title"));
        assertEquals(
                List.of(), ServerEndpoints.schemaDefects(api), "schemas a value can meet, as validators read them");
        JsonObject dashboard = ServerEndpoints.operation(api, "/dashboard", "get");
        assertTrue(
                dashboard.getJsonObject("responses").keySet().containsAll(List.of("200", "401", "403")),
                dashboard::toString);
        assertEquals(
                "bearer",
                dashboard
                        .getJsonArray("security")
                        .getJsonObject(0)
                        .keySet()
                        .iterator()
                        .next());
        JsonObject place = ServerEndpoints.operation(api, "/orders", "post");
        assertTrue(
                place.getJsonObject("responses").keySet().containsAll(List.of("201", "400", "401", "403", "413")),
                place::toString);
        JsonObject badRequest = ServerEndpoints.sharedResponse(api, place, "400");
        assertEquals("#/components/schemas/Error", ServerEndpoints.schemaRef(badRequest), badRequest::toString);
        assertEquals(
                ServerEndpoints.sharedResponse(api, dashboard, "401"),
                ServerEndpoints.sharedResponse(api, place, "401"),
                "one 401 for every operation");
        ServerEndpoints.operation(api, "/orders/{id}", "delete");
        assertNull(ServerEndpoints.operation(api, "/status", "get").get("security"), "status is public");
    }
}
