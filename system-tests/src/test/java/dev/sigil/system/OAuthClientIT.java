package dev.sigil.system;

import static dev.sigil.testkit.HttpJson.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Tokens;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Auth as an OAuth 2.0 authorization server, driven by a standard client library (Nimbus OAuth
 * 2.0 SDK with OpenID Connect extensions) the way a third-party client would: discovery parsed by
 * its metadata parsers, each grant, revocation, introspection and userinfo, and access tokens
 * validated with Nimbus JOSE against the advertised {@code jwks_uri}. Business, started by
 * {@code run.sh} next to auth, accepts a client's token and refuses it within 2 s of the client's
 * deletion. Hand-made bad requests check that the protocol's error codes come back, never a 500.
 */
class OAuthClientIT {

    static final String PASSWORD = "correct horse battery";

    final HttpJson auth = new HttpJson(Sigil.AUTH);
    final HttpJson business = new HttpJson(Sigil.BUSINESS);

    OIDCProviderMetadata metadata;

    @BeforeAll
    static void startBoth() {
        Sigil.start();
    }

    @AfterAll
    static void stop() {
        Sigil.stopAll();
    }

    @BeforeEach
    void discover() throws Exception {
        metadata = OIDCProviderMetadata.resolve(new Issuer(Sigil.AUTH));
    }

    String adminToken() {
        return auth.post(
                        "/login",
                        "{\"email\":\"" + Sigil.ADMIN_EMAIL + "\",\"password\":\"" + Sigil.ADMIN_PASSWORD
                                + "\",\"audience\":\"auth\"}")
                .json()
                .getString("access_token");
    }

    /** A confidential client of group orders-reader for business (and auth); its id and secret. */
    ClientSecretBasic newClient() {
        String id = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = auth.post(
                "/admin/clients",
                "{\"client_id\":\"" + id + "\",\"groups\":[\"orders-reader\"],\"audiences\":[\"business\",\"auth\"]}",
                bearer(adminToken()));
        assertEquals(201, created.status(), created::toString);
        return new ClientSecretBasic(new ClientID(id), new Secret(created.json().getString("client_secret")));
    }

    String newUser() {
        String email = "o" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Reply registered = auth.post("/users", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, registered.status(), registered::toString);
        return email;
    }

    TokenResponse token(TokenRequest request) throws Exception {
        return TokenResponse.parse(request.toHTTPRequest().send());
    }

    Tokens tokens(TokenRequest request) throws Exception {
        TokenResponse response = token(request);
        assertTrue(
                response.indicatesSuccess(),
                () -> response.toErrorResponse().getErrorObject().toString());
        return response.toSuccessResponse().getTokens();
    }

    TokenRequest.Builder request(ClientAuthentication client, AuthorizationGrant grant) {
        return new TokenRequest.Builder(metadata.getTokenEndpointURI(), client, grant);
    }

    TokenRequest.Builder publicRequest(AuthorizationGrant grant) {
        return new TokenRequest.Builder(metadata.getTokenEndpointURI(), new ClientID("sigil-app"), grant);
    }

    /** Verifies an access token as a resource server would, with keys from the advertised jwks_uri. */
    JWTClaimsSet verified(AccessToken token, String audience) throws Exception {
        JWKSource<SecurityContext> keys =
                JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                audience,
                new JWTClaimsSet.Builder()
                        .issuer(metadata.getIssuer().getValue())
                        .build(),
                Set.of("sub", "iat", "exp", "jti")));
        return processor.process(token.getValue(), null);
    }

    TokenIntrospectionSuccessResponse introspect(ClientAuthentication client, AccessToken token) throws Exception {
        TokenIntrospectionResponse response = TokenIntrospectionResponse.parse(
                new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(), client, token)
                        .toHTTPRequest()
                        .send());
        assertTrue(response.indicatesSuccess(), response::toString);
        return response.toSuccessResponse();
    }

    @Test
    void bothDiscoveryDocumentsParseAndTellTheTruth() throws Exception {
        assertEquals(Sigil.AUTH, metadata.getIssuer().getValue());
        assertEquals(URI.create(Sigil.AUTH + "/oauth2/token"), metadata.getTokenEndpointURI());
        assertEquals(URI.create(Sigil.AUTH + "/oauth2/revoke"), metadata.getRevocationEndpointURI());
        assertEquals(URI.create(Sigil.AUTH + "/oauth2/introspect"), metadata.getIntrospectionEndpointURI());
        assertEquals(URI.create(Sigil.AUTH + "/users/me"), metadata.getUserInfoEndpointURI());
        assertNull(metadata.getAuthorizationEndpointURI(), "no authorization endpoint is claimed");
        assertEquals(
                List.of(GrantType.PASSWORD, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS),
                metadata.getGrantTypes());
        assertTrue(metadata.getTokenEndpointAuthMethods()
                .containsAll(List.of(
                        ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                        ClientAuthenticationMethod.CLIENT_SECRET_POST,
                        ClientAuthenticationMethod.NONE)));
        AuthorizationServerMetadata rfc8414 = AuthorizationServerMetadata.parse(
                auth.get("/.well-known/oauth-authorization-server").body());
        assertEquals(metadata.getIssuer(), rfc8414.getIssuer());
        assertEquals(metadata.getTokenEndpointURI(), rfc8414.getTokenEndpointURI());
        assertEquals(metadata.getJWKSetURI(), rfc8414.getJWKSetURI());
    }

    @Test
    void clientCredentialsGiveATokenThatBusinessAcceptsUntilTheClientIsDeleted() throws Exception {
        ClientSecretBasic client = newClient();
        Tokens basic = tokens(request(client, new ClientCredentialsGrant()).build());
        assertNull(basic.getRefreshToken(), "no refresh token for client credentials");
        JWTClaimsSet claims = verified(basic.getAccessToken(), "business");
        assertEquals(client.getClientID().getValue(), claims.getSubject());
        assertEquals(List.of("orders-reader"), claims.getStringListClaim("groups"));
        assertEquals(Sigil.AUTH, claims.getIssuer());

        ClientSecretPost post = new ClientSecretPost(client.getClientID(), client.getClientSecret());
        Tokens forAuth = tokens(request(post, new ClientCredentialsGrant())
                .customParameter("audience", "auth")
                .build());
        assertEquals(List.of("auth"), verified(forAuth.getAccessToken(), "auth").getAudience());

        String token = basic.getAccessToken().getValue();
        Reply all = business.get("/orders?all=true", bearer(token));
        assertEquals(200, all.status(), all::toString);
        Reply place = business.post("/orders", "{\"item\":\"x\",\"quantity\":1}", bearer(token));
        assertEquals(403, place.status(), "a reader cannot place orders: " + place);

        TokenIntrospectionSuccessResponse live = introspect(client, basic.getAccessToken());
        assertTrue(live.isActive());
        assertEquals(client.getClientID(), live.getClientID());
        assertEquals(List.of(new Audience("business")), live.getAudience());

        Reply deleted =
                auth.send("DELETE", "/admin/clients/" + client.getClientID().getValue(), null, bearer(adminToken()));
        long answered = System.nanoTime();
        assertEquals(204, deleted.status(), deleted::toString);
        while (true) {
            Reply reply = business.get("/orders?all=true", bearer(token));
            long ms = (System.nanoTime() - answered) / 1_000_000;
            if (reply.status() == 401) {
                assertEquals("Token revoked", reply.detail(), reply::toString);
                break;
            }
            assertEquals(200, reply.status(), reply::toString);
            assertTrue(ms <= 2000, "still accepted " + ms + " ms after the client was deleted");
            Thread.sleep(50);
        }
        TokenResponse refused =
                token(request(client, new ClientCredentialsGrant()).build());
        assertEquals(401, refused.toErrorResponse().getErrorObject().getHTTPStatusCode());
        assertEquals(
                "invalid_client", refused.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void aUserSignsInRefreshesReadsUserinfoAndRevokes() throws Exception {
        String email = newUser();
        Tokens first = tokens(publicRequest(new ResourceOwnerPasswordCredentialsGrant(email, new Secret(PASSWORD)))
                .build());
        JWTClaimsSet claims = verified(first.getAccessToken(), "business");
        assertEquals(
                200,
                business.get("/dashboard", bearer(first.getAccessToken().getValue()))
                        .status());

        UserInfoResponse userInfo = UserInfoResponse.parse(
                new UserInfoRequest(metadata.getUserInfoEndpointURI(), (BearerAccessToken) first.getAccessToken())
                        .toHTTPRequest()
                        .send());
        assertTrue(userInfo.indicatesSuccess(), userInfo::toString);
        UserInfo info = userInfo.toSuccessResponse().getUserInfo();
        assertEquals(claims.getSubject(), info.getSubject().getValue());
        assertEquals(email, info.getEmailAddress());

        Tokens second = tokens(
                publicRequest(new RefreshTokenGrant(first.getRefreshToken())).build());
        assertNotEquals(first.getRefreshToken(), second.getRefreshToken(), "rotation");
        TokenResponse reused = token(
                publicRequest(new RefreshTokenGrant(first.getRefreshToken())).build());
        assertEquals("invalid_grant", reused.toErrorResponse().getErrorObject().getCode());

        Tokens fresh = tokens(publicRequest(new ResourceOwnerPasswordCredentialsGrant(email, new Secret(PASSWORD)))
                .customParameter("audience", "auth")
                .build());
        assertEquals(List.of("auth"), verified(fresh.getAccessToken(), "auth").getAudience());
        HTTPResponse revoked = new TokenRevocationRequest(
                        metadata.getRevocationEndpointURI(), new ClientID("sigil-app"), fresh.getRefreshToken())
                .toHTTPRequest()
                .send();
        assertEquals(200, revoked.getStatusCode());
        TokenResponse afterRevocation = token(
                publicRequest(new RefreshTokenGrant(fresh.getRefreshToken())).build());
        assertEquals(
                "invalid_grant",
                afterRevocation.toErrorResponse().getErrorObject().getCode());
        ClientSecretBasic observer = newClient();
        assertFalse(introspect(observer, fresh.getAccessToken()).isActive(), "the session's access token went with it");
        assertFalse(introspect(observer, new BearerAccessToken("not-a-token")).isActive());
        HTTPResponse unknown = new TokenRevocationRequest(
                        metadata.getRevocationEndpointURI(),
                        new ClientID("sigil-app"),
                        new RefreshToken("never-issued"))
                .toHTTPRequest()
                .send();
        assertEquals(200, unknown.getStatusCode(), "an unknown token is answered like a revoked one");
    }

    /** A hand-made token request: raw body, content type and headers. */
    HTTPResponse raw(String contentType, String body, String... headers) throws Exception {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.POST, metadata.getTokenEndpointURI());
        if (contentType != null) {
            request.setHeader("Content-Type", contentType);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        request.setBody(body);
        return request.send();
    }

    static void assertError(HTTPResponse response, int status, String code) throws Exception {
        assertEquals(status, response.getStatusCode(), response.getBody());
        TokenErrorResponse error = TokenErrorResponse.parse(response);
        assertEquals(code, error.getErrorObject().getCode(), response.getBody());
        assertEquals("no-store", response.getCacheControl());
    }

    @Test
    void handMadeBadRequestsGetTheRfcErrorCodes() throws Exception {
        ClientSecretBasic client = newClient();
        String basic = client.toHTTPAuthorizationHeader();
        String form = "application/x-www-form-urlencoded";
        assertError(
                raw("application/json", "{\"grant_type\":\"client_credentials\"}", "Authorization", basic),
                400,
                "invalid_request");
        assertError(
                raw(form, "grant_type=client_credentials&grant_type=client_credentials", "Authorization", basic),
                400,
                "invalid_request");
        assertError(raw(form, "", "Authorization", basic), 400, "invalid_request");
        assertError(
                raw(form, "grant_type=urn:ietf:params:oauth:grant-type:device_code", "Authorization", basic),
                400,
                "unsupported_grant_type");
        assertError(
                raw(
                        form,
                        "grant_type=client_credentials",
                        "Authorization",
                        new ClientSecretBasic(client.getClientID(), new Secret("wrong")).toHTTPAuthorizationHeader()),
                401,
                "invalid_client");
        HTTPResponse wrongSecret =
                raw(form, "grant_type=client_credentials&client_id=" + client.getClientID() + "&client_secret=wrong");
        assertTrue(wrongSecret.getHeaderValue("WWW-Authenticate").startsWith("Basic"), wrongSecret.getBody());
        assertError(raw(form, "grant_type=client_credentials"), 401, "invalid_client"); // no client authentication
        assertError(raw(form, "grant_type=client_credentials&client_id=sigil-app"), 400, "unauthorized_client");
        assertError(
                raw(form, "grant_type=password&client_id=unknown-app&username=a%40example.com&password=x"),
                401,
                "invalid_client");
        assertError(
                raw(form, "grant_type=password&client_id=sigil-app&username=a%40example.com"), 400, "invalid_request");
        assertError(
                raw(form, "grant_type=client_credentials&scope=openid", "Authorization", basic), 400, "invalid_scope");
        assertError(
                raw(form, "grant_type=client_credentials&audience=nowhere", "Authorization", basic),
                400,
                "invalid_target");
        assertError(raw("text/plain", "grant_type=client_credentials", "Authorization", basic), 400, "invalid_request");
    }
}
