package dev.sigil.auth.keys.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The life of every signing key, derived from nothing but the stored keys' activation times and
 * the clock, so every auth instance reading the same database agrees without coordination:
 * <ol>
 * <li><b>published</b> from creation: in the JWKS, not yet signing. Rotation publishes a key
 * longer ahead than consumers cache the JWKS, so they know it before any token uses it;</li>
 * <li><b>active</b> from its activation until the next key's activation: it signs;</li>
 * <li><b>retired</b> after that, still published for the longest time a token it signed can
 * be valid (token lifetime plus clock skew);</li>
 * <li><b>removed</b> afterwards: gone from the JWKS, and deleted.</li>
 * </ol>
 */
public final class KeySchedule {

    public enum State {
        PUBLISHED,
        ACTIVE,
        RETIRED,
        REMOVED
    }

    /** What the schedule needs of a key. */
    public record Key(String kid, String algorithm, Instant createdAt, Instant activatesAt) {}

    /** One key's place in the schedule; {@code retiresAt} and {@code removesAt} are null while no successor is due. */
    public record Status(Key key, State state, Instant retiresAt, Instant removesAt) {}

    private KeySchedule() {}

    /** Every key's status at {@code now}, in activation order. */
    public static List<Status> at(List<Key> keys, Instant now, long retainSeconds) {
        List<Key> ordered = keys.stream()
                .sorted(Comparator.comparing(Key::activatesAt).thenComparing(Key::kid))
                .toList();
        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            Key key = ordered.get(i);
            Instant retires = i + 1 < ordered.size() ? ordered.get(i + 1).activatesAt() : null;
            Instant removes = retires == null ? null : retires.plusSeconds(retainSeconds);
            State state;
            if (now.isBefore(key.activatesAt())) {
                state = State.PUBLISHED;
            } else if (retires == null || now.isBefore(retires)) {
                state = State.ACTIVE;
            } else if (now.isBefore(removes)) {
                state = State.RETIRED;
            } else {
                state = State.REMOVED;
            }
            statuses.add(new Status(key, state, retires, removes));
        }
        return statuses;
    }

    /** The next instant after {@code now} at which some key changes state, or null. */
    public static Instant nextChange(List<Status> statuses, Instant now) {
        Instant next = null;
        for (Status status : statuses) {
            for (Instant change : new Instant[] {status.key().activatesAt(), status.retiresAt(), status.removesAt()}) {
                if (change != null && change.isAfter(now) && (next == null || change.isBefore(next))) {
                    next = change;
                }
            }
        }
        return next;
    }
}
