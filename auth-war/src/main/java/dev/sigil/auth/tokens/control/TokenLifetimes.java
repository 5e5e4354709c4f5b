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
import java.util.List;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The longest lifetime an access token that may still be accepted was issued with: the
 * configured {@code auth.token.lifetime-seconds}, or, after it was lowered, the old one until
 * every token issued under it has expired. Revocations are kept for it and the feed says it, so
 * that lowering the lifetime (after an incident, say) does not let validators forget a
 * revocation of the longer tokens still around. Each start records the configured lifetime in
 * {@code sigil_token_lifetime}, under its row lock. Each revocation poll reads it again
 * ({@link #follow}): an instance learns a longer lifetime another instance started with, and
 * one still running with a longer lifetime than the row's (a rolling change, half done) keeps
 * the row saying so, so that revocations cover its tokens wherever they are made.
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

        /**
         * What an instance running with {@code configured}, longer than the lifetime the row
         * says, leaves: its tokens may be live until that long after now, which the row then
         * says with a minute to spare, so that it is written about once a minute; null when the
         * row says as much already.
         */
        Stored runningWith(long configured, long skewSeconds, long nowMillis) {
            long needed = nowMillis + (configured + skewSeconds) * 1000;
            boolean live = nowMillis < longestUntilMillis;
            if (configured <= seconds || (live && longestSeconds >= configured && longestUntilMillis >= needed)) {
                return null;
            }
            return new Stored(
                    seconds,
                    Math.max(configured, live ? longestSeconds : 0),
                    Math.max(needed + 60_000, live ? longestUntilMillis : 0));
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
        Stored row = read(" FOR UPDATE");
        if (row == null) { // deleted by hand: as before any start (migration V12)
            em.createNativeQuery("INSERT INTO sigil_token_lifetime (id, seconds, longest_seconds, longest_until_ms)"
                            + " VALUES (1, 0, 0, 0)")
                    .executeUpdate();
            row = new Stored(0, 0, 0);
        }
        Stored started = row.startedWith(lifetimeSeconds, skewSeconds, now);
        write(started);
        stored = started;
        if (started.longestAt(now) > lifetimeSeconds) {
            LOG.info(() -> "Access tokens of up to " + started.longestSeconds() + " s, a lifetime before this start,"
                    + " may be live until " + Instant.ofEpochMilli(started.longestUntilMillis())
                    + "; revocations are kept that long");
        }
    }

    /**
     * Reads the row again, at each revocation poll: what the other instances started
     * with, and, while this one runs with a longer lifetime than the row says, writes that.
     */
    @Transactional
    public void follow() {
        long now = clock.millis();
        Stored row = read("");
        if (row == null) {
            return;
        }
        if (row.runningWith(lifetimeSeconds, skewSeconds, now) != null) {
            row = read(" FOR UPDATE"); // again, under the lock starts and other instances take
            if (row == null) {
                return;
            }
            Stored extended = row.runningWith(lifetimeSeconds, skewSeconds, now);
            if (extended != null) {
                write(extended);
                row = extended;
            }
        }
        stored = row;
    }

    /** The longest lifetime of a token that may still be accepted now, in seconds. */
    public long longestLive() {
        Stored known = stored;
        return known == null ? lifetimeSeconds : Math.max(lifetimeSeconds, known.longestAt(clock.millis()));
    }

    /** The row, read with {@code lock} appended, or null when there is none. */
    private Stored read(String lock) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(
                        "SELECT seconds, longest_seconds, longest_until_ms FROM sigil_token_lifetime WHERE id = 1"
                                + lock)
                .getResultList();
        return rows.isEmpty()
                ? null
                : new Stored(number(rows.get(0)[0]), number(rows.get(0)[1]), number(rows.get(0)[2]));
    }

    private void write(Stored row) {
        em.createNativeQuery("UPDATE sigil_token_lifetime SET seconds = ?, longest_seconds = ?, longest_until_ms = ?"
                        + " WHERE id = 1")
                .setParameter(1, row.seconds())
                .setParameter(2, row.longestSeconds())
                .setParameter(3, row.longestUntilMillis())
                .executeUpdate();
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
