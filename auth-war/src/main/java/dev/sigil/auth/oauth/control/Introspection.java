package dev.sigil.auth.oauth.control;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.sessions.control.Sessions;
import dev.sigil.jwt.RevocationList;
import dev.sigil.jwt.TokenGate;
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
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.JoseException;

/**
 * What a token is worth now (RFC 7662), by the rules business applies: an access token signed
 * by a published key, of this issuer, for a configured audience, unexpired (with the validators'
 * clock skew) and not revoked; or a refresh token that would refresh now. Anything else,
 * malformed or foreign included, is only {@code {"active": false}}: the answer never says why.
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
    Sessions sessions;

    @Inject
    Clients clients;

    @Inject
    @ConfigProperty(name = "auth.token.issuer", defaultValue = "http://localhost:8080/auth")
    String issuer;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    List<String> audiences;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew", defaultValue = "60")
    int skewSeconds;

    /** @param hint {@code access_token}, {@code refresh_token} or null: which kind to try first */
    public JsonObject introspect(String token, String hint) {
        if (token == null || token.length() > 8192) {
            return INACTIVE;
        }
        Optional<JsonObject> answer = "refresh_token".equals(hint)
                ? refreshToken(token).or(() -> accessToken(token))
                : accessToken(token).or(() -> refreshToken(token));
        return answer.orElse(INACTIVE);
    }

    /** The verified claims of an access token that business would accept now. */
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
            long issuedMillis = claims.getClaimValue(TokenGate.ISSUED_MILLIS) instanceof Number millis
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

    private Optional<JsonObject> accessToken(String token) {
        return verifiedAccessToken(token)
                .map(claims -> {
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
                })
                .filter(answer -> answer.getBoolean("active"));
    }

    private Optional<JsonObject> refreshToken(String token) {
        return sessions.active(token).map(active -> JSON.createObjectBuilder()
                .add("active", true)
                .add("token_type", "refresh_token")
                .add("iss", issuer)
                .add("sub", active.userId())
                .add("iat", active.issuedAt().getEpochSecond())
                .add("exp", active.expiresAt().getEpochSecond())
                .build());
    }
}
