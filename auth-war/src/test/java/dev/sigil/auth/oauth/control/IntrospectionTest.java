package dev.sigil.auth.oauth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.oauth.entity.OAuthClient;
import dev.sigil.jwt.RevocationList;
import dev.sigil.jwt.RevocationPoller;
import dev.sigil.testkit.TokenMinter;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

class IntrospectionTest {

    static final String ISSUER = "http://localhost:8080/auth";
    static final TokenMinter FOR_BUSINESS = new TokenMinter(ISSUER, "business");

    static final OAuthClient BUSINESS_SERVICE =
            new OAuthClient("svc-business", "hash", Set.of(), List.of("business"), Instant.EPOCH);
    static final OAuthClient AUTH_SERVICE =
            new OAuthClient("svc-auth", "hash", Set.of(), List.of("auth"), Instant.EPOCH);

    final Introspection cut = new Introspection();
    boolean revocationsKnown = true;

    IntrospectionTest() {
        cut.keys = new KeyRing() {
            @Override
            public String jwks() {
                return FOR_BUSINESS.jwks();
            }
        };
        cut.revocations = new RevocationList();
        cut.poller = new RevocationPoller() {
            @Override
            public boolean current() {
                return revocationsKnown;
            }
        };
        cut.issuer = ISSUER;
        cut.audiences = List.of("auth", "business");
        cut.skewSeconds = 60;
    }

    boolean active(OAuthClient caller, String token) {
        return cut.introspect(caller, token).getBoolean("active");
    }

    @Test
    void aLiveTokenIsDescribedToAClientOfItsAudienceOnly() {
        String token = FOR_BUSINESS.token("user-1", "user");
        assertEquals("user-1", cut.introspect(BUSINESS_SERVICE, token).getString("sub"));
        assertEquals(
                Introspection.INACTIVE,
                cut.introspect(AUTH_SERVICE, token),
                "a client of another audience is told nothing");
        String forAuth = FOR_BUSINESS.token(claims -> claims.setAudience("auth"));
        assertTrue(active(AUTH_SERVICE, forAuth));
        assertEquals(Introspection.INACTIVE, cut.introspect(BUSINESS_SERVICE, forAuth));
    }

    /**
     * Before the revocations are read at a start, a revoked token could not be told apart: none
     * is active. A revocation (RFC 7009) still acts on the token: revoking it again does no harm.
     */
    @Test
    void noTokenIsActiveUntilTheRevocationsAreKnown() {
        String token = FOR_BUSINESS.token("user-1", "user");
        revocationsKnown = false;
        assertEquals(Introspection.INACTIVE, cut.introspect(BUSINESS_SERVICE, token));
        assertTrue(
                cut.verifiedAccessToken(token).isPresent(),
                "what a revocation acts on: revoking it again does no harm");
        revocationsKnown = true;
        assertTrue(active(BUSINESS_SERVICE, token));
    }

    @Test
    void aTokenPastItsExpiryIsInactiveAlthoughWithinTheValidatorsClockSkew() {
        String expired = FOR_BUSINESS.token(claims -> claims.setExpirationTime(
                NumericDate.fromSeconds(NumericDate.now().getValue() - 30)));
        assertEquals(Introspection.INACTIVE, cut.introspect(BUSINESS_SERVICE, expired));
        String live = FOR_BUSINESS.token(claims -> claims.setExpirationTime(
                NumericDate.fromSeconds(NumericDate.now().getValue() + 30)));
        assertTrue(active(BUSINESS_SERVICE, live));
    }
}
