package dev.sigil.auth.tokens.control;

import dev.sigil.auth.tokens.entity.TokenRevocation;
import dev.sigil.jwt.Revocation;
import dev.sigil.jwt.RevocationList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Takes back access tokens already handed out: those of one session (logout, refresh-token
 * reuse) or of one user (logout everywhere, password change, disabled account, an
 * administrator's revocation). A revocation covers every token issued up to the millisecond it
 * is made (its cut-off is that millisecond plus one; see {@link RevocationList}), so a token
 * issued right after it, a new login, works at once. A revocation of sessions reaches further
 * when their newest token was issued later by the clock of another auth instance, one ahead of
 * this instance's: up to that token's issue time, as the session store holds it.
 * <p>
 * It is stored in the caller's transaction, so every auth instance publishes it (see
 * {@link StoredRevocations}) and a restart keeps it, and it is applied to this instance's own
 * {@link RevocationList} at once, so auth's own endpoints refuse the tokens from that moment.
 * It is kept as long as a covered token may be accepted: the token lifetime plus the clock skew.
 * Once the transaction commits, it is pushed to the validators' streams ({@link RevocationBroadcast}).
 */
@ApplicationScoped
public class Revocations {

    private static final Logger LOG = Logger.getLogger(Revocations.class.getName());

    @PersistenceContext
    EntityManager em;

    @Inject
    RevocationList list;

    @Inject
    Event<Revocation> made;

    @Inject
    TokenLifetimes lifetimes;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    long skewSeconds;

    Clock clock = Clock.systemUTC();

    /**
     * Revokes every access token of a user (or a client) issued until now, and until
     * {@code newestIssued}, the newest issue time stored for it (null if none), should that be
     * later: another auth instance whose clock is ahead of this one's issued it, and it must not
     * outlive the revocation.
     */
    @Transactional
    public void revokeUser(String userId, Instant newestIssued) {
        revoke(Revocation.ofSubject(userId, cutOff(newestIssued)).ofTokensLiving(lifetimes.longestLive()));
        LOG.info(() -> "Access tokens of user " + userId + " revoked");
    }

    /** Revokes every access token of one session (refresh family) issued until now, or until {@code newestIssued}. */
    @Transactional
    public void revokeSession(String familyId, Instant newestIssued) {
        revoke(Revocation.ofSession(familyId, cutOff(newestIssued)).ofTokensLiving(lifetimes.longestLive()));
    }

    /**
     * The start of the window in which a revocation made now is kept: the token lifetime and the
     * clock skew back from now, and a second for {@code exp}'s whole seconds.
     */
    public Instant liveWindowStart() {
        return clock.instant().minusSeconds(lifetimes.longestLive() + skewSeconds + 1);
    }

    /** The millisecond after now, or after the newest issue time if that is later. */
    private long cutOff(Instant newestIssued) {
        long now = clock.millis();
        return 1 + (newestIssued == null ? now : Math.max(now, newestIssued.toEpochMilli()));
    }

    /**
     * Stores the revocation: a user or session revoked before gets that row's cut-off raised (or
     * kept, where it is as late already: the same millisecond, another instance's clock), so that
     * repeated revocations (a client revoking its own tokens in a loop, say) neither grow the
     * table nor the feed; only a first one adds a row, or a few first ones made at once, which
     * the feed merges.
     */
    private void revoke(Revocation revocation) {
        Instant expires = Instant.ofEpochMilli(revocation.beforeMillis())
                .plusSeconds(revocation.tokenLifetimeSeconds() + skewSeconds);
        int raised = byKey(revocation, TokenRevocation.RAISE_SUBJECT, TokenRevocation.RAISE_SESSION)
                .setParameter("before", revocation.beforeMillis())
                .setParameter("expires", expires)
                .executeUpdate();
        if (raised == 0 && !listed(revocation)) {
            em.persist(new TokenRevocation(revocation, expires));
        }
        list.add(List.of(revocation));
        made.fire(revocation);
    }

    /**
     * A stored revocation with the lifetime of the tokens it covers, so that validators keep it
     * as long as auth does: the longest lifetime of a token still live ({@link TokenLifetimes}),
     * or the longer one the row was kept for when it was made.
     */
    private Revocation withLifetime(TokenRevocation row) {
        Revocation revocation = row.revocation();
        long keptFor = (row.expiresAt().toEpochMilli() - revocation.beforeMillis()) / 1000 - skewSeconds;
        return revocation.ofTokensLiving(Math.max(lifetimes.longestLive(), keptFor));
    }

    /** Whether the user or session has a row already, with a cut-off as late as this one or later. */
    private boolean listed(Revocation revocation) {
        return ((Number) byKey(revocation, TokenRevocation.COUNT_SUBJECT, TokenRevocation.COUNT_SESSION)
                                .getSingleResult())
                        .longValue()
                > 0;
    }

    /** The query for a user's rows or for a session's, whichever the revocation names, with its key set. */
    private Query byKey(Revocation revocation, String ofSubject, String ofSession) {
        return revocation.subject() != null
                ? em.createNamedQuery(ofSubject).setParameter("key", revocation.subject())
                : em.createNamedQuery(ofSession).setParameter("key", revocation.session());
    }

    /**
     * The revocations that still cover a token that could be accepted, one per user and per
     * session, with its latest cut-off (two instances revoking one user at once may each have
     * added a row; the later cut-off covers what the earlier does).
     */
    @Transactional
    public List<Revocation> live() {
        Map<String, Revocation> latest = new LinkedHashMap<>();
        em.createNamedQuery(TokenRevocation.LIVE, TokenRevocation.class)
                .setParameter("now", clock.instant())
                .getResultStream()
                .map(this::withLifetime)
                .forEach(revocation -> latest.merge(revocation.key(), revocation, Revocation::merge));
        return List.copyOf(latest.values());
    }
}
