package dev.sigil.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
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
 * accepted: the lifetime of those tokens plus the clock skew after their cut-off. That lifetime
 * is what auth's feed says its tokens live (five minutes by default), and never more than
 * {@code sigil.tokens.max-lifetime-seconds}, which is also what an entry whose feed says nothing
 * is kept for. So a feed that lists fewer entries, replayed or forged, can withdraw nothing,
 * and the list holds about what auth's feed holds, not a day of revocations.
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

    private final Map<String, Revocation> entries = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    /** Adds revocations; for a user or session already listed the entry covering both is kept. */
    public void add(Collection<Revocation> revocations) {
        long now = clock.millis();
        for (Revocation revocation : revocations) {
            if (!outlived(revocation, now)) {
                entries.compute(revocation.key(), (key, known) -> {
                    Revocation merged = known == null ? revocation : known.merge(revocation);
                    if (!merged.equals(known)) {
                        changes.incrementAndGet();
                    }
                    return merged;
                });
            }
        }
    }

    /** Whether adding these would add an entry or make one stricter. */
    public boolean changedBy(Collection<Revocation> revocations) {
        long now = clock.millis();
        return revocations.stream().anyMatch(revocation -> {
            Revocation known = entries.get(revocation.key());
            return !outlived(revocation, now)
                    && (known == null || !known.merge(revocation).equals(known));
        });
    }

    /** The entries as {@link #add} would leave them, the list itself left as it is. */
    public List<Revocation> entriesWith(Collection<Revocation> revocations) {
        Map<String, Revocation> merged = new HashMap<>(entries);
        long now = clock.millis();
        for (Revocation revocation : revocations) {
            if (!outlived(revocation, now)) {
                merged.merge(revocation.key(), revocation, Revocation::merge);
            }
        }
        return List.copyOf(merged.values());
    }

    /** A count that grows whenever an entry is added or made stricter: what a saved copy compares with. */
    public long changes() {
        return changes.get();
    }

    /** The entries held now. */
    public List<Revocation> entries() {
        return List.copyOf(entries.values());
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
        Revocation entry = key == null ? null : entries.get(key);
        return entry != null && issuedMillis < entry.beforeMillis();
    }

    /** Drops the entries that no acceptable token can match any more. */
    public void prune() {
        long now = clock.millis();
        entries.values().removeIf(entry -> outlived(entry, now));
    }

    /** How many entries are held. */
    public int size() {
        return entries.size();
    }

    /**
     * Whether every token a revocation covers has expired: such a token was issued before its
     * cut-off and lives at most the lifetime its issuer says, capped by the maximum lifetime,
     * accepted up to the skew after its {@code exp}.
     */
    private boolean outlived(Revocation revocation, long nowMillis) {
        long lifetime = revocation.tokenLifetimeSeconds() == 0
                ? maxLifetimeSeconds
                : Math.min(revocation.tokenLifetimeSeconds(), maxLifetimeSeconds);
        return revocation.beforeMillis() + (lifetime + skewSeconds) * 1000 < nowMillis;
    }
}
