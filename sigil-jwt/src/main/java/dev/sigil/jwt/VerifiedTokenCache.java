package dev.sigil.jwt;

import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where verified tokens are cached: the {@link TokenGate}'s memory of what the validator
 * accepted, so a token used again costs a map lookup instead of a JWKS parse and a signature
 * check. The gate decides when an entry is still good (its {@code exp}, its key, revocations);
 * this class only keeps entries within a size and makes room when full.
 */
final class VerifiedTokenCache {

    /** Longer tokens are validated every time rather than kept. */
    static final int MAX_CACHED_LENGTH = 4096;

    /** A token the validator accepted: its result, its key, its expiry and whom it was issued to. */
    record Entry(CredentialValidationResult result, String kid, long exp, TokenGate.Issued issued) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final ReentrantLock pruning = new ReentrantLock();

    /** The entry of a token, or null. */
    Entry get(String token) {
        return entries.get(token);
    }

    /** Forgets a token's entry if it is still this one. */
    void remove(String token, Entry entry) {
        entries.remove(token, entry);
    }

    /**
     * Keeps a verified token, within {@code capacity} entries. When the map is full, the expired
     * entries go first, then those that expire soonest, down to nine tenths of the capacity: a
     * client that has refreshed its token no longer sends the older one, so the soonest to
     * expire are the least likely to come again, and a full map keeps admitting the tokens in
     * use now. One thread prunes at a time; a token arriving meanwhile is simply not kept.
     */
    void remember(String token, Entry entry, int capacity, long nowSeconds) {
        if (token.length() > MAX_CACHED_LENGTH || capacity <= 0) {
            return;
        }
        if (entries.size() >= capacity) {
            if (!pruning.tryLock()) {
                return;
            }
            try {
                prune(capacity - capacity / 10, nowSeconds);
            } finally {
                pruning.unlock();
            }
        }
        entries.put(token, entry);
    }

    /** How many verified tokens are kept now. */
    int size() {
        return entries.size();
    }

    /** Removes the expired entries, then the soonest to expire until at most {@code target} remain. */
    private void prune(int target, long nowSeconds) {
        entries.values().removeIf(old -> old.exp() <= nowSeconds);
        int excess = entries.size() - target;
        if (excess > 0) {
            long[] expiries =
                    entries.values().stream().mapToLong(Entry::exp).sorted().toArray();
            if (expiries.length == 0) {
                return; // emptied meanwhile by other threads
            }
            long cutoff = expiries[Math.min(excess, expiries.length) - 1];
            entries.values().removeIf(old -> old.exp() <= cutoff);
        }
    }
}
