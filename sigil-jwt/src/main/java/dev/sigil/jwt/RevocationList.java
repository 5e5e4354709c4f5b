package dev.sigil.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The revocations this service knows, held in memory and checked for every token, cached or
 * not: two map lookups. Entries only ever grow stricter (a later cut-off for the same user or
 * session replaces an earlier one) and leave only when no token they cover can still be
 * accepted: {@code sigil.tokens.max-lifetime-seconds} plus the clock skew after their cut-off.
 * So a feed that lists fewer entries, replayed or forged, can withdraw nothing.
 * <p>
 * A token is revoked when its issue time in milliseconds is strictly lower than the cut-off;
 * auth sets the cut-off one millisecond after the instant of the revocation, so a token issued
 * in that same millisecond counts as revoked and one issued later does not.
 */
@ApplicationScoped
public class RevocationList {

    @Inject
    @ConfigProperty(name = "sigil.tokens.max-lifetime-seconds", defaultValue = "86400")
    long maxLifetimeSeconds;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    long skewSeconds;

    Clock clock = Clock.systemUTC();

    private final Map<String, Long> cutoffs = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    /** Adds revocations; for a user or session already listed the later cut-off wins. */
    public void add(Collection<Revocation> revocations) {
        long now = clock.millis();
        for (Revocation revocation : revocations) {
            if (!outlived(revocation.beforeMillis(), now)) {
                cutoffs.compute(revocation.key(), (key, before) -> {
                    if (before != null && before >= revocation.beforeMillis()) {
                        return before;
                    }
                    changes.incrementAndGet();
                    return revocation.beforeMillis();
                });
            }
        }
    }

    /** Whether adding these would add an entry or raise one. */
    public boolean changedBy(Collection<Revocation> revocations) {
        long now = clock.millis();
        return revocations.stream()
                .anyMatch(revocation -> !outlived(revocation.beforeMillis(), now)
                        && cutoffs.getOrDefault(revocation.key(), Long.MIN_VALUE) < revocation.beforeMillis());
    }

    /** The entries as {@link #add} would leave them, the list itself left as it is. */
    public List<Revocation> entriesWith(Collection<Revocation> revocations) {
        Map<String, Long> merged = new HashMap<>(cutoffs);
        long now = clock.millis();
        for (Revocation revocation : revocations) {
            if (!outlived(revocation.beforeMillis(), now)) {
                merged.merge(revocation.key(), revocation.beforeMillis(), Math::max);
            }
        }
        List<Revocation> entries = new ArrayList<>(merged.size());
        merged.forEach((key, before) -> entries.add(Revocation.ofKey(key, before)));
        return entries;
    }

    /** A count that grows whenever an entry is added or raised: what a saved copy compares with. */
    public long changes() {
        return changes.get();
    }

    /** The entries held now. */
    public List<Revocation> entries() {
        List<Revocation> entries = new ArrayList<>(cutoffs.size());
        cutoffs.forEach((key, before) -> entries.add(Revocation.ofKey(key, before)));
        return entries;
    }

    /**
     * Whether a token of this subject and session, issued at {@code issuedMillis}, is revoked.
     * A null subject or session matches no entry of that kind.
     */
    public boolean revoked(String subject, String session, long issuedMillis) {
        return covers(subject == null ? null : "u:" + subject, issuedMillis)
                || covers(session == null ? null : "s:" + session, issuedMillis);
    }

    private boolean covers(String key, long issuedMillis) {
        Long before = key == null ? null : cutoffs.get(key);
        return before != null && issuedMillis < before;
    }

    /** Drops the entries that no acceptable token can match any more. */
    public void prune() {
        long now = clock.millis();
        cutoffs.values().removeIf(before -> outlived(before, now));
    }

    /** How many entries are held. */
    public int size() {
        return cutoffs.size();
    }

    /**
     * Whether every token a cut-off covers has expired: such a token was issued before it and
     * lives at most the maximum lifetime, accepted up to the skew after its {@code exp}.
     */
    private boolean outlived(long beforeMillis, long nowMillis) {
        return beforeMillis + (maxLifetimeSeconds + skewSeconds) * 1000 < nowMillis;
    }
}
