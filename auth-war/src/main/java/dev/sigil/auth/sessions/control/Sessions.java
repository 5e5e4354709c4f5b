package dev.sigil.auth.sessions.control;

import dev.sigil.auth.login.control.Authenticator;
import dev.sigil.auth.monitoring.AuthMetrics;
import dev.sigil.auth.sessions.entity.RefreshToken;
import dev.sigil.auth.tokens.control.AccessToken;
import dev.sigil.auth.tokens.control.Revocations;
import dev.sigil.auth.tokens.control.TokenIssuer;
import dev.sigil.auth.users.control.CredentialsRevoked;
import dev.sigil.auth.users.control.UserRegistry;
import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityNotFoundException;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The session life cycle behind refresh tokens.
 * <ul>
 * <li>A login starts a family with one refresh token: 256 random bits, of which only the
 * SHA-256 hash is stored.</li>
 * <li>A refresh spends its token and returns a new one in the same family (rotation). The
 * spending is one conditional update, so of two requests racing with the same token exactly
 * one wins.</li>
 * <li>A spent token presented again is reuse: someone holds a copy. The whole family is revoked
 * and the caller gets 401. There is no grace window: a client must not refresh concurrently
 * with one token.</li>
 * <li>A refresh re-reads the account: a disabled user cannot refresh. Changing a password or
 * disabling an account revokes every family of the user.</li>
 * <li>A refresh token is bound to the client it was issued to (RFC 6749 section 10.4): a public
 * client of the OAuth password grant, or the JSON API ({@link #JSON_API}). Presented by another,
 * it is refused and stays unspent.</li>
 * <li>A session lasts at most {@code auth.refresh.max-session-seconds} from its login, however
 * often it refreshes (OWASP ASVS 3.3.2: re-authentication also of an active user, 30 days at
 * level 1): no refresh token outlives that end, and a refresh after it is refused.</li>
 * </ul>
 * Refreshing and revoking serialise per user: each first locks the user's row
 * ({@code SELECT … FOR UPDATE}) and only then reads or changes tokens. Without it a refresh
 * that had spent its token but not yet committed the successor raced a revocation: under READ
 * COMMITTED the revoking statement could not see the successor, which then outlived the
 * revocation and kept the session alive. For the same reason a revocation of access tokens
 * reaches up to the newest issue time stored, not only to the revoking instance's clock: the
 * token before it may come from an instance whose clock is ahead.
 */
@ApplicationScoped
public class Sessions {

    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final String INVALID = "Invalid refresh token";

    /**
     * Sessions of one user ended within a token's life that each get an entry of their own in the
     * revocation feed; beyond them the user gets one (see {@link #endFamily}).
     */
    static final int SESSION_ENTRIES_PER_USER = 32;

    /** The client of the sessions started at {@code /auth/login}: none of OAuth's. */
    public static final String JSON_API = "";

    /** A refresh token that would buy a new pair now, as introspection describes it. */
    public record Active(String userId, String familyId, Instant issuedAt, Instant expiresAt) {}

    /** What a login or a refresh hands out. */
    public record Grant(AccessToken access, String refreshToken, long refreshExpiresIn) {}

    @PersistenceContext
    EntityManager em;

    @Inject
    TokenIssuer issuer;

    @Inject
    AuthMetrics metrics = AuthMetrics.NONE;

    @Inject
    UserRegistry users;

    @Inject
    Revocations revocations;

    @Inject
    @ConfigProperty(name = "auth.refresh.lifetime-seconds", defaultValue = "86400")
    long refreshLifetimeSeconds;

    @Inject
    @ConfigProperty(name = "auth.refresh.max-session-seconds", defaultValue = "2592000")
    long maxSessionSeconds;

    Clock clock = Clock.systemUTC();

    /**
     * Starts a new family for a user who just proved their password; the access token is for
     * {@code audience}. The password check takes a tenth of a second and holds no lock, so a
     * password change, a disabling or a demotion can commit meanwhile, and its revocation cannot
     * see a session that does not exist yet. So the account is locked, as revocations lock it,
     * and read again: a session starts only if it is still enabled with the password hash that
     * was verified, and its token carries the groups it has now.
     *
     * @param authenticated the account as read for the password check
     * @throws ApiException 401 {@code Invalid credentials} when the account changed meanwhile
     */
    @Transactional
    public Grant start(User authenticated, String audience, String client) {
        User user = lockUser(authenticated.id())
                ? users.findById(authenticated.id()).orElse(null)
                : null;
        if (user == null || !user.enabled() || !user.passwordHash().equals(authenticated.passwordHash())) {
            throw new ApiException(401, Authenticator.INVALID_CREDENTIALS);
        }
        return grant(user, UUID.randomUUID().toString(), clock.instant(), audience, client);
    }

    /**
     * Spends a refresh token for a new access token, for {@code audience}, and a new refresh
     * token. A refresh token is tied to no audience: a client holds one session and asks for a
     * token of whichever audience it is about to call.
     *
     * @param client the caller: the public client at the token endpoint, {@link #JSON_API} at {@code /auth/refresh}
     * @throws ApiException 401 for an unknown, expired, revoked or reused token, one of another
     *         client, or a disabled account
     */
    @Transactional(dontRollbackOn = ApiException.class)
    public Grant refresh(String refreshToken, String audience, String client) {
        RefreshToken stored = find(refreshToken).orElseThrow(Sessions::invalid);
        if (!lockUser(stored.userId())) {
            throw invalid();
        }
        try {
            em.refresh(stored); // as committed now that revocations wait for this transaction
        } catch (EntityNotFoundException deleted) {
            throw invalid();
        }
        Instant now = clock.instant();
        if (stored.revoked()) {
            throw invalid();
        }
        if (!stored.used() && !now.isBefore(stored.expiresAt())) {
            throw invalid(); // expired unspent: the session ended unused
        }
        if (!stored.used() && !now.isBefore(sessionEnd(stored))) {
            throw invalid(); // the session's longest life is over (a token stored under a longer one)
        }
        if (!stored.used() && stored.clientId() != null && !stored.clientId().equals(client)) {
            throw invalid(); // another client's: refused, and left for its own client to spend
        }
        // a spent token is reuse whether or not it has expired since: a thief who refreshed with
        // it first must not keep the session because its owner comes back a day later with it
        boolean spent = !stored.used()
                && em.createNamedQuery(RefreshToken.MARK_USED)
                                .setParameter("now", now)
                                .setParameter("id", stored.id())
                                .executeUpdate()
                        == 1;
        if (!spent) {
            endFamily(stored.userId(), stored.familyId(), now);
            metrics.reuseDetected();
            LOG.warning(() -> "Refresh token reuse in family " + stored.familyId() + " of user " + stored.userId()
                    + "; the family is revoked");
            throw invalid();
        }
        User user = users.findById(stored.userId()).filter(User::enabled).orElse(null);
        if (user == null) {
            revokeFamily(stored.familyId(), now);
            throw invalid();
        }
        metrics.refreshed();
        return grant(user, stored.familyId(), stored.sessionStartedAt(), audience, client);
    }

    /** Ends the session of this refresh token; unknown or already ended tokens change nothing. */
    @Transactional
    public void logout(String refreshToken) {
        find(refreshToken).ifPresent(stored -> endSession(stored.userId(), stored.familyId()));
    }

    /**
     * Ends one session of a user, named by its family (an access token's {@code sid}): its refresh
     * tokens and the access tokens issued in it until now.
     */
    @Transactional
    public void endSession(String userId, String familyId) {
        lockUser(userId);
        endFamily(userId, familyId, clock.instant());
    }

    /**
     * The refresh token if a refresh with it would succeed now: known, unspent, unrevoked,
     * unexpired, of an enabled account. Spends nothing.
     */
    @Transactional
    public Optional<Active> active(String refreshToken) {
        Instant now = clock.instant();
        return find(refreshToken)
                .filter(stored -> !stored.used()
                        && !stored.revoked()
                        && now.isBefore(stored.expiresAt())
                        && now.isBefore(sessionEnd(stored)))
                .filter(stored ->
                        users.findById(stored.userId()).filter(User::enabled).isPresent())
                .map(stored -> new Active(stored.userId(), stored.familyId(), stored.createdAt(), stored.expiresAt()));
    }

    /**
     * A known refresh token's binding: the client it is bound to, or null for one of the JSON API
     * or stored before binding. Empty for a token that is not known (never issued, or purged).
     */
    @Transactional
    public Optional<Binding> binding(String refreshToken) {
        return find(refreshToken).map(stored -> new Binding(stored.clientId()));
    }

    /** @param clientId the client a refresh token is bound to, or null */
    public record Binding(String clientId) {}

    /** Ends every session of a user whose credentials changed, in the same transaction. */
    void onCredentialsRevoked(@Observes CredentialsRevoked event) {
        logoutEverywhere(event.userId());
    }

    /** Ends every session of a user, and revokes the access tokens issued to it until now. */
    @Transactional
    public void logoutEverywhere(String userId) {
        lockUser(userId);
        em.createNamedQuery(RefreshToken.REVOKE_USER)
                .setParameter("now", clock.instant())
                .setParameter("user", userId)
                .executeUpdate();
        revocations.revokeUser(userId, newestIssued(RefreshToken.NEWEST_OF_USER, userId));
    }

    /** A new refresh token of the session, which expires at the session's end at the latest. */
    private Grant grant(User user, String familyId, Instant sessionStartedAt, String audience, String client) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // the access token's iat_ms, exactly
        Instant expiresAt = now.plusSeconds(refreshLifetimeSeconds);
        Instant sessionEnd = sessionStartedAt.plusSeconds(maxSessionSeconds);
        if (sessionEnd.isBefore(expiresAt)) {
            expiresAt = sessionEnd;
        }
        String value = randomToken();
        em.persist(new RefreshToken(hash(value), familyId, user.id(), now, expiresAt, sessionStartedAt, client));
        return new Grant(
                issuer.issue(user, familyId, audience, now),
                value,
                Math.max(0, Duration.between(now, expiresAt).getSeconds()));
    }

    private Instant sessionEnd(RefreshToken stored) {
        return stored.sessionStartedAt().plusSeconds(maxSessionSeconds);
    }

    /**
     * Locks the user's row until the transaction ends: what refreshing and revoking serialise
     * on, on H2 and PostgreSQL alike. False when there is no such user.
     */
    private boolean lockUser(String userId) {
        return !em.createNativeQuery("SELECT id FROM sigil_user WHERE id = ? FOR UPDATE")
                .setParameter(1, userId)
                .getResultList()
                .isEmpty();
    }

    private Optional<RefreshToken> find(String refreshToken) {
        if (refreshToken == null || refreshToken.length() > 256) {
            return Optional.empty();
        }
        return em.createNamedQuery(RefreshToken.BY_HASH, RefreshToken.class)
                .setParameter("hash", hash(refreshToken))
                .getResultStream()
                .findFirst();
    }

    /** Revokes the family's refresh tokens not revoked yet: how many there were. */
    private int revokeFamily(String familyId, Instant now) {
        return em.createNamedQuery(RefreshToken.REVOKE_FAMILY)
                .setParameter("now", now)
                .setParameter("family", familyId)
                .executeUpdate();
    }

    /**
     * Revokes the family's refresh tokens and the access tokens issued in it until now. A family
     * ended before gets no second revocation: whatever ended it also revoked its access tokens
     * (the session, the user or the account), no access token is issued in an ended family, and
     * a logout or a replayed token repeated at will must not grow the revocation feed.
     * <p>
     * Nor may one account grow it by ending sessions by the thousand (each login is one, and a
     * refresh gives an old one a live token again): beyond {@link #SESSION_ENTRIES_PER_USER}
     * sessions of the user ended within a token's life, by whatever ended them, the user's tokens
     * are revoked instead, one entry that later endings raise in place. The user's other sessions
     * then refresh for a new token.
     */
    private void endFamily(String userId, String familyId, Instant now) {
        if (revokeFamily(familyId, now) == 0) {
            return;
        }
        long ended = ((Number) em.createNamedQuery(RefreshToken.ENDED_SESSIONS_SINCE)
                        .setParameter("user", userId)
                        .setParameter("since", revocations.liveWindowStart())
                        .getSingleResult())
                .longValue();
        if (ended > SESSION_ENTRIES_PER_USER) {
            revocations.revokeUser(userId, newestIssued(RefreshToken.NEWEST_OF_USER, userId));
        } else {
            revocations.revokeSession(familyId, newestIssued(RefreshToken.NEWEST_OF_FAMILY, familyId));
        }
    }

    /**
     * The issue time of the newest token of a user or a family, as stored with its access token
     * by whichever auth instance issued it; read under the user's lock, so no grant of the user is
     * between its insert and its commit. A revocation covers at least up to it, whatever the
     * revoking instance's clock says.
     */
    private Instant newestIssued(String query, String key) {
        return em.createNamedQuery(query, RefreshToken.class)
                .setParameter("key", key)
                .setMaxResults(1)
                .getResultStream()
                .findFirst()
                .map(RefreshToken::createdAt)
                .orElse(null);
    }

    private static ApiException invalid() {
        return new ApiException(401, INVALID);
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
