package dev.sigil.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.keys.control.TestKeyRings;
import dev.sigil.auth.users.entity.User;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenIssuerTest {

    TokenIssuer cut;
    KeyRing keys;
    JwtConsumer consumer;

    @BeforeEach
    void setUp() throws Exception {
        keys = TestKeyRings.fresh();
        cut = new TokenIssuer();
        cut.keys = keys;
        cut.issuer = "https://id.example/auth";
        cut.lifetimeSeconds = 120;
        consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(
                        new JwksVerificationKeyResolver(new JsonWebKeySet(keys.jwks()).getJsonWebKeys()))
                .setExpectedIssuer("https://id.example/auth")
                .setExpectedAudience("reports")
                .setRequireExpirationTime()
                .build();
    }

    @Test
    void tokenHasTheHeaderAndClaimsOfAnMpJwt() throws Exception {
        User user = new User("Ada@Example.com", "hash", Instant.now());
        user.grantAdmin();
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AccessToken token = cut.issue(user, "session-1", "reports", issuedAt);

        assertEquals(120, token.expiresIn());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token.value());
        assertEquals("JWT", jws.getHeader("typ"));
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        assertEquals(keys.signingKey().getKeyId(), jws.getKeyIdHeaderValue());

        JwtClaims claims = consumer.processToClaims(token.value());
        assertEquals(user.id(), claims.getSubject());
        assertNull(claims.getClaimValue("upn"), "no email unless configured");
        assertEquals(List.of("admin", "user"), claims.getStringListClaimValue("groups"));
        assertEquals(List.of("reports"), claims.getAudience(), "exactly one audience");
        assertEquals(
                120,
                claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertEquals("session-1", claims.getClaimValueAsString("sid"), "the session, for logout to revoke");
        long millis = ((Number) claims.getClaimValue("iat_ms")).longValue();
        assertEquals(issuedAt.toEpochMilli(), millis, "iat_ms is the issue time the session stores");
        assertEquals(claims.getIssuedAt().getValue(), millis / 1000, "iat_ms is iat to the millisecond");
        assertNotEquals(
                claims.getJwtId(),
                consumer.processToClaims(cut.issue(user, "session-1", "reports", Instant.now())
                                .value())
                        .getJwtId());
    }

    @Test
    void theAudienceIsAnArrayOfOne() throws Exception {
        String payload = unverifiedClaims(cut.issue(
                        new User("a@example.com", "h", Instant.now()), "session-1", "business", Instant.now()))
                .toJson();
        assertTrue(payload.contains("\"aud\":[\"business\"]"), payload);
    }

    @Test
    void theEmailIsAddedOnlyWhenConfigured() throws Exception {
        cut.includeEmail = true;
        JwtClaims claims = unverifiedClaims(
                cut.issue(new User("Ada@Example.com", "h", Instant.now()), "session-1", "auth", Instant.now()));
        assertEquals("ada@example.com", claims.getClaimValueAsString("upn"));
    }

    @Test
    void aClientsTokenNeverCarriesTheGroupsOfPeoplesAccounts() throws Exception {
        JwtClaims claims = unverifiedClaims(
                cut.issueForClient("reporting", List.of("orders-reader", "user", "admin"), "business", Instant.now()));
        assertEquals(List.of("orders-reader"), claims.getStringListClaimValue("groups"));
        assertEquals("reporting", claims.getSubject());
    }

    private static JwtClaims unverifiedClaims(AccessToken token) throws Exception {
        return new JwtConsumerBuilder()
                .setSkipAllValidators()
                .setSkipSignatureVerification()
                .build()
                .processToClaims(token.value());
    }

    @Test
    void anotherKeyDoesNotVerify() {
        KeyRing other = TestKeyRings.fresh();
        cut.keys = other;
        String token = cut.issue(new User("a@example.com", "h", Instant.now()), "session-1", "reports", Instant.now())
                .value();
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(token));
    }

    @Test
    void anIssuerThatIsAPlainAbsoluteUrlIsAccepted() {
        for (String issuer : List.of(
                "https://id.example/auth",
                "https://id.example",
                "http://localhost:8080/auth",
                "http://127.0.0.1/auth",
                "HTTPS://id.example/auth",
                "http://auth_service:8080/auth",
                "https://bücher.example/auth",
                "https://id.example.2fa/auth",
                "https://[2001:db8::1]:8443/auth")) {
            cut.issuer = issuer;
            assertDoesNotThrow(cut::check, issuer);
        }
    }

    @Test
    void anIssuerThatWouldBreakTheEndpointsOrTheIssClaimStopsTheStart() {
        for (String issuer : List.of(
                "https://id.example/auth/",
                "https://id.example/",
                "https://id.example/auth?tenant=1",
                "https://id.example/auth#top",
                "id.example/auth",
                "ftp://id.example/auth",
                "https://user@id.example/auth",
                "https://id.example/a uth",
                "")) {
            cut.issuer = issuer;
            IllegalStateException refused = assertThrows(IllegalStateException.class, cut::check, issuer);
            assertTrue(refused.getMessage().startsWith("auth.token.issuer (" + issuer + ") "), refused.getMessage());
        }
    }
}
