package dev.sigil.auth;

import static dev.sigil.testkit.TestUsers.PASSWORD;
import static dev.sigil.testkit.TestUsers.credentials;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.JwtParts;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import dev.sigil.testkit.TestUsers;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The auth WAR exactly as built, in Payara Micro with its shipped settings (600,000 PBKDF2
 * iterations included): registration, login, the token it signs and the JWKS that verifies it.
 * Each test registers its own email, so tests share no state and run in any order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthIT {

    @ArquillianResource
    URL base;

    HttpJson auth;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File("target/auth.war"));
    }

    @BeforeEach
    void client() {
        auth = new HttpJson(base.toString());
    }

    static String uniqueEmail() {
        return TestUsers.email("u");
    }

    @Test
    void registrationCreatesAUserWithANormalisedEmail() {
        String email = uniqueEmail();
        Reply reply = auth.post("/users", credentials("  " + email.toUpperCase() + " ", PASSWORD));
        assertEquals(201, reply.status(), reply::toString);
        assertEquals(email, reply.json().getString("email"));
        UUID.fromString(reply.json().getString("id"));
        assertFalse(reply.body().contains("password"), reply::toString);
    }

    @Test
    void duplicateEmailInAnyCaseIsAConflict() {
        String email = uniqueEmail();
        assertEquals(201, auth.post("/users", credentials(email, PASSWORD)).status());
        Reply reply = auth.post("/users", credentials(email.toUpperCase(), "another long password"));
        assertEquals(409, reply.status(), reply::toString);
        assertEquals("Email already registered", reply.detail());
        assertEquals(200, login(email, PASSWORD).status(), "the first password still holds");
    }

    @Test
    void invalidRegistrationsAreBadRequestsAndCreateNothing() {
        String email = uniqueEmail();
        assertBadRequest(
                auth.post("/users", credentials("not-an-email", PASSWORD)),
                "email: must be a valid email address (ASCII; internationalised domains in their xn-- form)");
        assertBadRequest(
                auth.post("/users", credentials(email, "elevenchars")), "password: must be 12 to 128 characters");
        assertBadRequest(
                auth.post("/users", credentials(email, "x".repeat(129))), "password: must be 12 to 128 characters");
        assertBadRequest(auth.post("/users", "{\"email\":\"" + email + "\"}"), "password: is required");
        assertBadRequest(auth.post("/users", "{\"password\":\"" + PASSWORD + "\"}"), "email: is required");
        assertBadRequest(auth.post("/users", "{\"email\":"), "Malformed JSON request body");
        assertBadRequest(auth.post("/users", "[1,2]"), "The request body must be a JSON object");
        assertBadRequest(auth.post("/users", ""), "a JSON body is required");
        assertBadRequest(auth.post("/users", "null"), "a JSON body is required");
        Reply wrongType = auth.post("/users", credentials(email, PASSWORD), "Content-Type", "text/plain");
        assertEquals(415, wrongType.status(), wrongType::toString);
        assertEquals("Unsupported Media Type", wrongType.detail());
        Reply gzipped = auth.post("/users", gzip(credentials(email, PASSWORD)), "Content-Encoding", "gzip");
        assertEquals(415, gzipped.status(), gzipped::toString);
        assertEquals(
                "Content-Encoding gzip is not supported: send the body without a content coding", gzipped.detail());
        Reply mislabelled = auth.post("/users", credentials(email, PASSWORD), "Content-Encoding", "gzip");
        assertEquals(415, mislabelled.status(), "a plain body labelled gzip is not read as plain either");
        assertEquals(401, login(email, PASSWORD).status(), "no failed request created the user");
        assertEquals(
                201, auth.post("/users", credentials(email, "x".repeat(128))).status(), "128 characters are allowed");
        assertEquals(
                201,
                auth.post("/users", credentials(uniqueEmail(), "twelve chars")).status(),
                "12 characters are allowed");
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Content negotiation copies Accept's parameters into the answer's type; the label must stay true. */
    @Test
    void aCharsetAskedForInAcceptDoesNotRelabelTheUtf8Answer() {
        for (String accept : List.of("application/json; charset=UTF-16", "*/*;charset=foo")) {
            for (Reply reply : List.of(
                    auth.get("/.well-known/openid-configuration", "Accept", accept),
                    auth.post("/login", credentials(uniqueEmail(), PASSWORD), "Accept", accept),
                    auth.post(
                            "/oauth2/token",
                            "grant_type=client_credentials",
                            "Content-Type",
                            "application/x-www-form-urlencoded",
                            "Accept",
                            accept))) {
                assertEquals("application/json", reply.header("Content-Type"), () -> accept + " -> " + reply);
                assertFalse(reply.json().isEmpty(), reply::toString);
            }
        }
    }

    @Test
    void loginReturnsABearerTokenThatIsNeverCached() {
        String email = uniqueEmail();
        auth.post("/users", credentials(email, PASSWORD));
        Reply reply = login(email, PASSWORD);
        assertEquals(200, reply.status(), reply::toString);
        assertEquals("Bearer", reply.json().getString("token_type"));
        assertEquals(300, reply.json().getInt("expires_in"));
        assertEquals("no-store", reply.header("Cache-Control"));
        assertFalse(reply.json().getString("access_token").isBlank());
    }

    @Test
    void tokenCarriesTheClaimsAndHeaderValidatorsNeed() throws Exception {
        String email = uniqueEmail();
        String id = auth.post("/users", credentials(email, PASSWORD)).json().getString("id");
        String token = login(email, PASSWORD).json().getString("access_token");

        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        assertEquals("JWT", jws.getHeader("typ"));
        JsonWebKeySet keys =
                new JsonWebKeySet(auth.get("/.well-known/jwks.json").body());
        JsonWebKey signer = keys.getJsonWebKeys().stream()
                .filter(k -> k.getKeyId().equals(jws.getKeyIdHeaderValue()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the kid is not published"));
        // RS256 by default; ES256 where a test rotated to an EC key before (the PostgreSQL run shares one database)
        assertEquals(signer.getKeyType().equals("RSA") ? "RS256" : "ES256", jws.getAlgorithmHeaderValue());
        assertEquals(
                signer.getAlgorithm(), jws.getAlgorithmHeaderValue(), "the header names the published key's algorithm");

        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .setExpectedIssuer("http://localhost:8080/auth")
                .setExpectedAudience("business")
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .build();
        JwtClaims claims = consumer.processToClaims(token);
        assertEquals(id, claims.getSubject());
        assertFalse(claims.hasClaim("upn"), "no email unless auth.token.include-email is set");
        assertFalse(JwtParts.payloadText(token).contains(email), "the email is nowhere in the token");
        assertEquals(List.of("user"), claims.getStringListClaimValue("groups"));
        assertEquals(List.of("business"), claims.getAudience(), "exactly one audience: business when none is named");
        assertEquals(
                300,
                claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertNotEquals(
                claims.getJwtId(),
                new JwtConsumerBuilder()
                        .setSkipAllValidators()
                        .setSkipSignatureVerification()
                        .build()
                        .processToClaims(login(email, PASSWORD).json().getString("access_token"))
                        .getJwtId(),
                "every token has its own jti");
    }

    @Test
    void wrongPasswordAndUnknownEmailLookTheSame() {
        String email = uniqueEmail();
        assertEquals(201, auth.post("/users", credentials(email, PASSWORD)).status());
        Reply wrongPassword = login(email, "wrong horse battery");
        Reply unknownEmail = login(uniqueEmail(), PASSWORD);
        assertEquals(401, wrongPassword.status(), wrongPassword::toString);
        assertEquals(401, unknownEmail.status(), unknownEmail::toString);
        assertEquals("{\"detail\":\"Invalid credentials\"}", wrongPassword.body());
        assertEquals(wrongPassword.body(), unknownEmail.body());
        assertEquals(wrongPassword.header("WWW-Authenticate"), unknownEmail.header("WWW-Authenticate"));
    }

    @Test
    void loginAcceptsTheEmailInAnyCase() {
        String email = uniqueEmail();
        auth.post("/users", credentials(email, PASSWORD));
        assertEquals(200, login(" " + email.toUpperCase(), PASSWORD).status());
    }

    @Test
    void malformedLoginsAreBadRequests() {
        assertBadRequest(auth.post("/login", "{\"email\":\"a@example.com\"}"), "password: is required");
        assertBadRequest(auth.post("/login", "{\"password\":\"" + PASSWORD + "\"}"), "email: is required");
        assertBadRequest(
                auth.post("/login", "{\"email\":\"a@example.com\",\"password\":"), "Malformed JSON request body");
        assertBadRequest(
                auth.post("/login", "{\"email\":{},\"password\":\"" + PASSWORD + "\"}"),
                "email: must be a JSON string");
        assertBadRequest(auth.post("/login", ""), "a JSON body is required");
    }

    @Test
    void jwksPublishesOnlyPublicKeysWithIdUseAndAlgorithm() {
        Reply reply = auth.get("/.well-known/jwks.json");
        assertEquals(200, reply.status(), reply::toString);
        assertTrue(reply.header("Cache-Control").matches(".*max-age=\\d+.*"), reply::toString);
        List<JsonValue> keys = reply.json().getJsonArray("keys");
        assertFalse(keys.isEmpty());
        for (JsonValue value : keys) {
            JsonObject key = value.asJsonObject();
            // RSA by default; an EC key where a rotation to ES256 happened before (a shared database)
            String kty = key.getString("kty");
            assertTrue(List.of("RSA", "EC").contains(kty), key::toString);
            assertEquals("sig", key.getString("use"));
            assertEquals(kty.equals("RSA") ? "RS256" : "ES256", key.getString("alg"));
            assertFalse(key.getString("kid").isBlank());
            for (String secret : List.of("d", "p", "q", "dp", "dq", "qi")) {
                assertFalse(key.containsKey(secret), "private parameter " + secret + " published");
            }
        }
    }

    @Test
    void configuredAdministratorExistsAndIsAnAdmin() throws Exception {
        Reply reply = login("ops@example.com", "arquillian-admin-password");
        assertEquals(200, reply.status(), reply::toString);
        JwtClaims claims = new JwtConsumerBuilder()
                .setSkipAllValidators()
                .setSkipSignatureVerification()
                .build()
                .processToClaims(reply.json().getString("access_token"));
        assertEquals(List.of("admin", "user"), claims.getStringListClaimValue("groups"));
    }

    @Test
    void discoveryNamesTheIssuerKeysAndEndpoints() {
        Reply reply = auth.get("/.well-known/openid-configuration");
        assertEquals(200, reply.status(), reply::toString);
        JsonObject document = reply.json();
        String issuer = document.getString("issuer");
        assertEquals("http://localhost:8080/auth", issuer);
        assertEquals(issuer + "/.well-known/jwks.json", document.getString("jwks_uri"));
        assertEquals(issuer + "/oauth2/token", document.getString("token_endpoint"));
        assertEquals(issuer + "/oauth2/revoke", document.getString("revocation_endpoint"));
        assertTrue(reply.header("Cache-Control").contains("max-age="), reply::toString);
    }

    @Test
    void unknownPathsAndMethodsAnswerInJson() {
        Reply missing = auth.get("/nowhere");
        assertEquals(404, missing.status(), missing::toString);
        assertEquals("Not Found", missing.detail());
        Reply wrongMethod = auth.get("/login");
        assertEquals(405, wrongMethod.status(), wrongMethod::toString);
        assertEquals("Method Not Allowed", wrongMethod.detail());
    }

    /**
     * The NUL character, which PostgreSQL refuses in text, is a client's mistake wherever a client
     * can put it: in a JSON string, a form parameter, a Basic client id, a path, a query. It is
     * refused before any query, with the error shape of the endpoint; this class runs on H2 and
     * on PostgreSQL, where a NUL in a body would otherwise reach a query and fail with a 500.
     */
    @Test
    void theNulCharacterIsRefusedBeforeItReachesTheDatabase() {
        String email = uniqueEmail();
        String withNul = "nul\0" + email;
        String json = "The request body must not contain the NUL character (\\u0000)";
        assertBadRequest(auth.post("/users", credentials(withNul, PASSWORD)), json);
        assertBadRequest(auth.post("/login", credentials(withNul, PASSWORD)), json);
        assertBadRequest(auth.post("/users", credentials(email, "a long password\0")), json);

        String form = "application/x-www-form-urlencoded";
        Reply grant = auth.post(
                "/oauth2/token",
                "grant_type=password&client_id=sigil-app&password=x&username=a%00b%40example.com",
                "Content-Type",
                form);
        assertEquals(400, grant.status(), grant::toString);
        assertEquals("invalid_request", grant.json().getString("error"), grant::toString);
        String basic = Base64.getEncoder().encodeToString("a%00b:secret".getBytes(StandardCharsets.UTF_8));
        Reply client = auth.post(
                "/oauth2/token",
                "grant_type=client_credentials",
                "Content-Type",
                form,
                "Authorization",
                "Basic " + basic);
        assertEquals(401, client.status(), client::toString);
        assertEquals("invalid_client", client.json().getString("error"), client::toString);

        String admin = auth.post("/login", credentials("ops@example.com", "arquillian-admin-password", "auth"))
                .json()
                .getString("access_token");
        // in a path Payara's HTTP listener refuses it itself, before any application code
        for (Reply inPath : List.of(
                auth.post("/admin/users/a%00b/disable", "", HttpJson.bearer(admin)),
                auth.get("/admin/clients/a%00b", HttpJson.bearer(admin)))) {
            assertEquals(400, inPath.status(), inPath::toString);
        }
        assertBadRequest(
                auth.get("/admin/users?page=%00", HttpJson.bearer(admin)),
                "page: must be a whole number from 0 to 21474836");

        assertEquals(201, auth.post("/users", credentials(email, PASSWORD)).status(), "nothing was stored before");
        assertEquals(200, login(email, PASSWORD).status());
    }

    private Reply login(String email, String password) {
        return auth.post("/login", credentials(email, password));
    }

    private static void assertBadRequest(Reply reply, String detail) {
        assertEquals(400, reply.status(), reply::toString);
        assertEquals(detail, reply.detail(), reply::toString);
    }

    // what the server serves beside the application: health, metrics, the OpenAPI document

    /** H2 by default; the PostgreSQL run of this class sets it. */
    static final String DATABASE = System.getProperty("sigil.database", "H2");

    @Test
    void readinessNamesTheDatabaseTheSigningKeyAndTheVerificationKeys() throws InterruptedException {
        ServerEndpoints server = new ServerEndpoints(base.toString());
        Reply ready = server.awaitReady(); // the key mirror may still be starting
        assertEquals(200, ready.status(), ready::toString);
        assertEquals("UP", ready.json().getString("status"));
        JsonObject database = ServerEndpoints.check(ready, "database").orElseThrow();
        assertEquals("UP", database.getString("status"));
        assertEquals(DATABASE, database.getJsonObject("data").getString("product"));
        JsonObject signing = ServerEndpoints.check(ready, "signing-key").orElseThrow();
        String kid = signing.getJsonObject("data").getString("kid");
        assertTrue(
                auth.get("/.well-known/jwks.json").body().contains("\"" + kid + "\""), "the signing key is published");
        JsonObject keys = ServerEndpoints.check(ready, "token-keys").orElseThrow();
        assertTrue(keys.getJsonObject("data").getString("kids").contains(kid), keys::toString);

        Reply live = server.live();
        assertEquals(200, live.status(), live::toString);
        assertEquals(
                "UP", ServerEndpoints.check(live, "deadlocks").orElseThrow().getString("status"));
        assertTrue(ServerEndpoints.check(live, "database").isEmpty(), "the database is a readiness matter");
    }

    @Test
    void loginOutcomesAreCounted() {
        ServerEndpoints server = new ServerEndpoints(base.toString());
        double ok = server.counter("sigil_logins_total", "outcome=\"ok\"");
        double failed = server.counter("sigil_logins_total", "outcome=\"failed\"");
        String email = uniqueEmail();
        assertEquals(201, auth.post("/users", credentials(email, PASSWORD)).status());
        assertEquals(200, auth.post("/login", credentials(email, PASSWORD)).status());
        assertEquals(
                401,
                auth.post("/login", credentials(email, "wrong password here")).status());
        assertEquals(
                401, auth.post("/login", credentials(uniqueEmail(), PASSWORD)).status());
        assertEquals(ok + 1, server.counter("sigil_logins_total", "outcome=\"ok\""));
        assertEquals(failed + 2, server.counter("sigil_logins_total", "outcome=\"failed\""));
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndItsErrors() {
        JsonObject api = new ServerEndpoints(base.toString()).openApi();
        assertEquals("Sigil auth", api.getJsonObject("info").getString("title"));
        assertEquals(
                List.of(), ServerEndpoints.schemaDefects(api), "schemas a value can meet, as validators read them");
        JsonObject login = ServerEndpoints.operation(api, "/login", "post");
        assertTrue(
                login.getJsonObject("responses").keySet().containsAll(List.of("200", "400", "401", "429")),
                login::toString);
        assertNull(login.get("security"), "login is public");
        JsonObject me = ServerEndpoints.operation(api, "/users/me", "get");
        assertTrue(me.getJsonObject("responses").keySet().containsAll(List.of("200", "401", "403")), me::toString);
        assertEquals(
                "bearer",
                me.getJsonArray("security").getJsonObject(0).keySet().iterator().next());
        JsonObject meByPost = ServerEndpoints.operation(api, "/users/me", "post");
        assertEquals(
                ServerEndpoints.sharedResponse(api, me, "200"),
                ServerEndpoints.sharedResponse(api, meByPost, "200"),
                "userinfo by GET and by POST answer alike");
        assertEquals(
                "#/components/schemas/UserInfo",
                ServerEndpoints.schemaRef(ServerEndpoints.sharedResponse(api, me, "200")));
        JsonObject unauthorized = ServerEndpoints.sharedResponse(api, me, "401");
        assertEquals("#/components/schemas/Error", ServerEndpoints.schemaRef(unauthorized), unauthorized::toString);
        assertTrue(unauthorized.getJsonObject("headers").containsKey("WWW-Authenticate"), unauthorized::toString);
        JsonObject rotate = ServerEndpoints.operation(api, "/admin/keys/rotate", "post");
        assertEquals(unauthorized, ServerEndpoints.sharedResponse(api, rotate, "401"), "one 401 for every operation");
        ServerEndpoints.operation(api, "/.well-known/jwks.json", "get");
        assertNull(ServerEndpoints.operation(api, "/revocations", "get").get("security"), "the feed is public");
        JsonObject stream = ServerEndpoints.operation(api, "/revocations/events", "get");
        assertNull(stream.get("security"), "so is its stream");
        assertTrue(stream.getJsonObject("responses").keySet().containsAll(List.of("200", "503")), stream::toString);
        JsonObject revoke = ServerEndpoints.operation(api, "/admin/users/{id}/revoke-tokens", "post");
        assertTrue(
                revoke.getJsonObject("responses").keySet().containsAll(List.of("204", "401", "403", "404")),
                revoke::toString);
        JsonObject schemas = api.getJsonObject("components").getJsonObject("schemas");
        for (String request : List.of("LoginRequest", "RefreshRequest")) {
            assertTrue(
                    schemas.getJsonObject(request).getJsonObject("properties").containsKey("audience"), request);
        }
        JsonObject error = schemas.getJsonObject("Error");
        assertTrue(error.getJsonObject("properties").containsKey("detail"), error::toString);
        assertEquals(
                "bearer",
                api.getJsonObject("components")
                        .getJsonObject("securitySchemes")
                        .getJsonObject("bearer")
                        .getString("scheme"));
    }
}
