package dev.sigil.auth.tokens.control;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.users.entity.User;
import dev.sigil.jwt.Roles;
import dev.sigil.web.UnverifiedToken;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * Signs access tokens with the key ring's current key. The claims are exactly what MicroProfile
 * JWT validators require and use: {@code iss}, {@code sub} (the user id, also the principal's
 * name), {@code groups} (roles), {@code aud} (one audience, see {@link Audiences}), {@code iat},
 * {@code exp} and a random {@code jti}; and for revocation, the session ({@code sid}, the refresh
 * family) and the issue time in milliseconds ({@code iat_ms}, see {@link UnverifiedToken#ISSUED_MILLIS}),
 * since a revocation must spare a token issued later within the same second. The email ({@code upn}) is personal data every service
 * on the token's way would see; it is added only when {@code auth.token.include-email} is set.
 */
@ApplicationScoped
public class TokenIssuer {

    private static final Logger LOG = Logger.getLogger(TokenIssuer.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    KeyRing keys;

    @Inject
    @ConfigProperty(name = "auth.token.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "auth.token.lifetime-seconds")
    long lifetimeSeconds;

    @Inject
    @ConfigProperty(name = "auth.token.include-email", defaultValue = "false")
    boolean includeEmail;

    /**
     * An issuer that is not a plain absolute URL stops the deployment. It is the tokens' {@code iss},
     * which validators compare as a string, and the base of every endpoint discovery names: a
     * trailing slash would make those {@code …/auth//oauth2/token}, and a query or a fragment is
     * not allowed in an issuer (RFC 8414 section 2). Plain HTTP to another host than this one's
     * loopback is allowed, for a proxy that terminates TLS on the same host, but warned about.
     */
    @PostConstruct
    void check() {
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw badIssuer("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            throw badIssuer("must be an https (or http) URL");
        }
        // a name java.net.URI does not take for a host (an underscore, a label starting with a
        // digit, non-ASCII letters) leaves only the authority
        String host = uri.getHost() != null ? uri.getHost() : uri.getRawAuthority();
        if (host == null || host.isEmpty() || uri.getRawUserInfo() != null || host.contains("@")) {
            throw badIssuer("must name a host, and no user");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw badIssuer("must have no query and no fragment");
        }
        if (uri.getRawPath().endsWith("/")) {
            throw badIssuer("must not end with a slash: the endpoints are the issuer followed by their paths");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            LOG.warning(() -> "auth.token.issuer " + issuer + " is plain HTTP: clients send passwords and tokens to"
                    + " its endpoints; use https unless TLS ends in a proxy on this host");
        }
    }

    void onStart(@Observes Startup startup) {
        // creates the bean, so a bad issuer fails the deployment rather than the first login
    }

    private IllegalStateException badIssuer(String why) {
        return new IllegalStateException("auth.token.issuer (" + issuer + ") " + why);
    }

    /** By name or address only: no name lookup at start. */
    private static boolean isLoopback(String host) {
        return host != null
                && (host.equalsIgnoreCase("localhost")
                        || LOOPBACK_IPV4.matcher(host).matches()
                        || host.equals("[::1]"));
    }

    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.\\d{1,3}){3}");

    /**
     * A token of one session for one audience, which the caller has checked with
     * {@link Audiences#requested}, issued at {@code issuedAt}: the time the session stores with
     * the token's refresh token, so that a revocation can cover it by what is stored (see
     * {@link Revocations#revokeUser(String, Instant)}).
     */
    public AccessToken issue(User user, String session, String audience, Instant issuedAt) {
        return issue(
                user.id(),
                includeEmail ? user.email() : null,
                user.groups(),
                session,
                audience,
                null,
                issuedAt.toEpochMilli());
    }

    /**
     * A token of a confidential client for itself (OAuth 2.0 client credentials): its subject
     * and {@code client_id} (RFC 9068) are the client id, it has the client's groups and no
     * session, so only a revocation of the client's subject takes it back. Issued at
     * {@code issuedAt}, the time the client's row stores. Never with {@code admin} or
     * {@code user}, the groups of people's accounts, which a client cannot be given, even from a
     * row stored before that rule or written by hand.
     */
    public AccessToken issueForClient(String clientId, Collection<String> groups, String audience, Instant issuedAt) {
        List<String> clientGroups = groups.stream()
                .filter(group -> !Roles.ADMIN.equals(group) && !Roles.USER.equals(group))
                .toList();
        return issue(clientId, null, clientGroups, null, audience, clientId, issuedAt.toEpochMilli());
    }

    private AccessToken issue(
            String subject,
            String email,
            Collection<String> groups,
            String session,
            String audience,
            String clientId,
            long millis) {
        NumericDate now = NumericDate.fromMilliseconds(millis);
        NumericDate expiry = NumericDate.fromSeconds(now.getValue() + lifetimeSeconds);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(subject);
        if (email != null) {
            claims.setClaim("upn", email);
        }
        claims.setStringListClaim(
                "groups", new ArrayList<>(groups.stream().sorted().toList()));
        claims.setClaim("aud", List.of(audience));
        claims.setIssuedAt(now);
        claims.setExpirationTime(expiry);
        claims.setJwtId(randomId());
        if (session != null) {
            claims.setClaim("sid", session);
        }
        if (clientId != null) {
            claims.setClaim("client_id", clientId);
        }
        claims.setClaim(UnverifiedToken.ISSUED_MILLIS, millis);
        return new AccessToken(sign(claims.toJson(), "JWT"), lifetimeSeconds);
    }

    /** Signs a document other than a token, such as the revocation feed, with a {@code typ} of its own. */
    public String sign(String payload, String type) {
        PublicJsonWebKey key = keys.signingKey();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(key.getAlgorithm());
        jws.setHeader("typ", type);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("Signing failed", e);
        }
    }

    private static String randomId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
