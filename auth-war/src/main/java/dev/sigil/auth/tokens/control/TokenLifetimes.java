package dev.sigil.auth.tokens.control;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The longest lifetime an access token that may still be accepted was issued with: the
 * configured {@code auth.token.lifetime-seconds}, or, after it was lowered, the old one until
 * every token issued under it has expired. Revocations are kept for it and the feed says it, so
 * that lowering the lifetime (after an incident, say) does not let validators forget a
 * revocation of the longer tokens still around. Each start records the configured lifetime in
 * {@code sigil_token_lifetime}, under its row lock. Instances of a cluster are to run with one
 * lifetime; while a change rolls through them, the tokens an instance not yet restarted issues
 * under the old one are covered only until a token lifetime after the first restart.
 */
@ApplicationScoped
public class TokenLifetimes {

    private static final Logger LOG = Logger.getLogger(TokenLifetimes.class.getName());

    /** The stored row: the lifetime of the last start, and the longest still live, until when. */
    record Stored(long seconds, long longestSeconds, long longestUntilMillis) {

        /** What a start with {@code configured} leaves, at {@code nowMillis}. */
        Stored startedWith(long configured, long skewSeconds, long nowMillis) {
            boolean olderStillLive = nowMillis < longestUntilMillis;
            long longest = olderStillLive ? Math.max(longestSeconds, configured) : configured;
            long until = olderStillLive ? longestUntilMillis : 0;
            if (configured < seconds) { // lowered: tokens of the last start's lifetime live on
                longest = Math.max(longest, seconds);
                until = Math.max(until, nowMillis + (seconds + skewSeconds) * 1000);
            }
            return new Stored(configured, longest, until);
        }

        /** The longest lifetime of a token that may still be accepted at {@code nowMillis}. */
        long longestAt(long nowMillis) {
            return nowMillis < longestUntilMillis ? Math.max(seconds, longestSeconds) : seconds;
        }
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    @ConfigProperty(name = "auth.token.lifetime-seconds")
    long lifetimeSeconds;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    long skewSeconds;

    Clock clock = Clock.systemUTC();

    private volatile Stored stored;

    /** Before the revocation poller's first read (default priority) and any revocation. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION) Startup startup) {
        long now = clock.millis();
        Object[] row = (Object[]) em.createNativeQuery(
                        "SELECT seconds, longest_seconds, longest_until_ms FROM sigil_token_lifetime WHERE id = 1"
                                + " FOR UPDATE")
                .getSingleResult();
        Stored started = new Stored(number(row[0]), number(row[1]), number(row[2]))
                .startedWith(lifetimeSeconds, skewSeconds, now);
        em.createNativeQuery("UPDATE sigil_token_lifetime SET seconds = ?, longest_seconds = ?, longest_until_ms = ?"
                        + " WHERE id = 1")
                .setParameter(1, started.seconds())
                .setParameter(2, started.longestSeconds())
                .setParameter(3, started.longestUntilMillis())
                .executeUpdate();
        stored = started;
        if (started.longestAt(now) > lifetimeSeconds) {
            LOG.info(() -> "Access tokens of up to " + started.longestSeconds() + " s, a lifetime before this start,"
                    + " may be live until " + Instant.ofEpochMilli(started.longestUntilMillis())
                    + "; revocations are kept that long");
        }
    }

    /** The longest lifetime of a token that may still be accepted now, in seconds. */
    public long longestLive() {
        Stored known = stored;
        return known == null ? lifetimeSeconds : Math.max(lifetimeSeconds, known.longestAt(clock.millis()));
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
