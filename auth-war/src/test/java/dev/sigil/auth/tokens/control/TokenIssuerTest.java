package dev.sigil.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.keys.control.TestKeyRings;
import dev.sigil.auth.users.entity.User;
import java.time.Instant;
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
        cut.audiences = List.of("business", "reports");
        cut.lifetimeSeconds = 120;
        consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(keys.jwks()).getJsonWebKeys()))
                .setExpectedIssuer("https://id.example/auth")
                .setExpectedAudience("reports")
                .setRequireExpirationTime()
                .build();
    }

    @Test
    void tokenHasTheHeaderAndClaimsOfAnMpJwt() throws Exception {
        User user = new User("Ada@Example.com", "hash", Instant.now());
        user.grantAdmin();
        AccessToken token = cut.issue(user);

        assertEquals(120, token.expiresIn());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token.value());
        assertEquals("JWT", jws.getHeader("typ"));
        assertEquals("RS256", jws.getAlgorithmHeaderValue());
        assertEquals(keys.signingKey().getKeyId(), jws.getKeyIdHeaderValue());

        JwtClaims claims = consumer.processToClaims(token.value());
        assertEquals(user.id(), claims.getSubject());
        assertEquals("ada@example.com", claims.getClaimValueAsString("upn"));
        assertEquals(List.of("admin", "user"), claims.getStringListClaimValue("groups"));
        assertEquals(List.of("business", "reports"), claims.getAudience());
        assertEquals(120, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertNotEquals(claims.getJwtId(), consumer.processToClaims(cut.issue(user).value()).getJwtId());
    }

    @Test
    void aSingleAudienceIsStillAnArray() throws Exception {
        cut.audiences = List.of("business");
        String payload = new JwtConsumerBuilder().setSkipAllValidators().setSkipSignatureVerification().build()
                .processToClaims(cut.issue(new User("a@example.com", "h", Instant.now())).value()).toJson();
        assertTrue(payload.contains("\"aud\":[\"business\"]"), payload);
    }

    @Test
    void anotherKeyDoesNotVerify() {
        KeyRing other = TestKeyRings.fresh();
        cut.keys = other;
        String token = cut.issue(new User("a@example.com", "h", Instant.now())).value();
        assertThrows(InvalidJwtException.class, () -> consumer.processToClaims(token));
    }
}
