package dev.sigil.auth.oauth.control;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.oauth.entity.OAuthClient;
import dev.sigil.jwt.RevocationList;
import dev.sigil.jwt.RevocationPoller;
import dev.sigil.web.UnverifiedToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * What an access token is worth now (RFC 7662), by the rules business applies: signed by a
 * published key, of this issuer, for a configured audience, not revoked, and unexpired by auth's
 * own clock (the validators' clock skew is for other machines' clocks, not this one's). A caller
 * is told only of tokens for an audience it may request itself: the resource it serves. Refresh
 * tokens are never described: only public clients hold them, and no public client may
 * introspect, so the one asking is never the holder, and the answer would let it test a stolen
 * refresh token without spending it. Anything else, malformed or foreign included, is only
 * {@code {"active": false}}: the answer never says why.
 */
@ApplicationScoped
public class Introspection {

    static final JsonObject INACTIVE =
            JSON.createObjectBuilder().add("active", false).build();

    @Inject
    KeyRing keys;

    @Inject
    RevocationList revocations;

    @Inject
    RevocationPoller poller;

    @Inject
    Clients clients;

    @Inject
    @ConfigProperty(name = "auth.token.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    List<String> audiences;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    int skewSeconds;

    /** What {@code token} is worth now, told to {@code caller}, a confidential client. */
    public JsonObject introspect(OAuthClient caller, String token) {
        if (token == null || token.length() > 8192 || !poller.current()) {
            return INACTIVE; // at a start, before the revocations are read, a revoked token cannot be told apart
        }
        return verifiedAccessToken(token)
                .filter(claims -> unexpired(claims) && forAudienceOf(caller, claims))
                .map(Introspection::described)
                .orElse(INACTIVE);
    }

    /**
     * The verified claims of an access token that business would accept now, as far as the
     * revocations known tell (all of them, once the poller is current).
     */
    public Optional<JwtClaims> verifiedAccessToken(String token) {
        if (token.chars().filter(c -> c == '.').count() != 2) {
            return Optional.empty();
        }
        try {
            JsonWebKeySet published = new JsonWebKeySet(keys.jwks());
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setExpectedIssuer(issuer)
                    .setExpectedAudience(audiences.toArray(String[]::new))
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setAllowedClockSkewInSeconds(skewSeconds)
                    .setVerificationKeyResolver((JsonWebSignature jws, List<JsonWebStructure> nesting) -> {
                        try {
                            return new VerificationJwkSelector()
                                    .select(jws, published.getJsonWebKeys())
                                    .getKey();
                        } catch (JoseException | RuntimeException unknown) {
                            return null;
                        }
                    })
                    .build();
            JwtClaims claims = consumer.processToClaims(token);
            long issuedMillis = claims.getClaimValue(UnverifiedToken.ISSUED_MILLIS) instanceof Number millis
                    ? millis.longValue()
                    : claims.getIssuedAt().getValueInMillis();
            String session = claims.getClaimValue("sid") instanceof String sid ? sid : null;
            String clientId = claims.getClaimValue("client_id") instanceof String id ? id : null;
            if (revocations.revoked(claims.getSubject(), session, issuedMillis)
                    || clientId != null && clients.find(clientId).isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(claims);
        } catch (InvalidJwtException | MalformedClaimException | JoseException | RuntimeException invalid) {
            return Optional.empty();
        }
    }

    private static boolean unexpired(JwtClaims claims) {
        try {
            return NumericDate.now().isBefore(claims.getExpirationTime());
        } catch (MalformedClaimException e) {
            return false;
        }
    }

    private static boolean forAudienceOf(OAuthClient caller, JwtClaims claims) {
        try {
            return claims.getAudience().stream().anyMatch(caller.audiences()::contains);
        } catch (MalformedClaimException e) {
            return false;
        }
    }

    private static JsonObject described(JwtClaims claims) {
        try {
            JsonObjectBuilder answer = JSON.createObjectBuilder()
                    .add("active", true)
                    .add("token_type", "Bearer")
                    .add("iss", claims.getIssuer())
                    .add("sub", claims.getSubject())
                    .add("aud", JSON.createArrayBuilder(claims.getAudience()))
                    .add("exp", claims.getExpirationTime().getValue())
                    .add("iat", claims.getIssuedAt().getValue())
                    .add("groups", JSON.createArrayBuilder(claims.getStringListClaimValue("groups")));
            if (claims.getJwtId() != null) {
                answer.add("jti", claims.getJwtId());
            }
            if (claims.getClaimValue("client_id") instanceof String clientId) {
                answer.add("client_id", clientId);
            }
            return answer.build();
        } catch (MalformedClaimException e) {
            return INACTIVE;
        }
    }
}
