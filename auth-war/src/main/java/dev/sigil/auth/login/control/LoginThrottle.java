package dev.sigil.auth.login.control;

import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Slows down password guessing, after the pattern of Keycloak's brute-force detection: after a
 * number of failures, that failure and every further one lock for a wait that doubles from
 * {@code auth.throttle.wait-seconds} (60) up to {@code auth.throttle.max-wait-seconds} (900).
 * <p>
 * Every guess is counted <em>before</em> its password hash runs: {@link #attempt} reserves a
 * place atomically (a compare-and-set on the stored count, in the data grid too) and refuses
 * with 429 and {@code Retry-After} once the failures so far plus the attempts in flight reach
 * the limit, so concurrent guesses cannot all slip through before the first one is counted.
 * Three counts, each locking on its own:
 * <ul>
 * <li>Account and address together: {@code auth.throttle.account-failures} (5). A success
 * resets it. This is the lock an owner meets after mistyping, and the one a guesser meets
 * first; it does not touch the owner on another address.</li>
 * <li>Account: {@code auth.throttle.account-ceiling} (100) failures from all addresses cap
 * guessing spread over many addresses. The ceiling does not hold back an address from which
 * the account logged in within {@code auth.throttle.reset-seconds}, so a guesser cannot keep
 * the owner out of the account from where the owner usually logs in.</li>
 * <li>Address: {@code auth.throttle.address-failures} (50) failures across accounts, never
 * reset by a success (an attacker's own account must not wash away the count of their guesses).</li>
 * </ul>
 * Unknown emails are counted like accounts, so a lockout says nothing about whether one exists.
 * Counts are forgotten {@code auth.throttle.reset-seconds} (43200, twelve hours) after their
 * last change. {@link #unlock} clears an account's locks on every address.
 * <p>
 * With several auth instances in one Payara data grid the counts are shared through it (see
 * {@link GridFailureStore}), so failures are counted across instances; a single instance, or
 * one started with {@code --nohazelcast}, keeps them in memory, and they restart empty with it.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class.getName());
    static final String DETAIL = "Too many failed logins; try again later";
    static final String REGISTRATION_DETAIL = "Too many registrations from this address; try again later";
    /** A reservation not settled within this time (its instance died mid-check) no longer holds a place. */
    static final long PENDING_SECONDS = 30;

    @Inject
    @ConfigProperty(name = "auth.throttle.account-failures", defaultValue = "5")
    int accountFailures;

    @Inject
    @ConfigProperty(name = "auth.throttle.account-ceiling", defaultValue = "100")
    int accountCeiling;

    @Inject
    @ConfigProperty(name = "auth.throttle.address-failures", defaultValue = "50")
    int addressFailures;

    @Inject
    @ConfigProperty(name = "auth.throttle.wait-seconds", defaultValue = "60")
    long waitSeconds;

    @Inject
    @ConfigProperty(name = "auth.throttle.max-wait-seconds", defaultValue = "900")
    long maxWaitSeconds;

    @Inject
    @ConfigProperty(name = "auth.throttle.reset-seconds", defaultValue = "43200")
    long resetSeconds;

    @Inject
    @ConfigProperty(name = "auth.throttle.registrations-per-minute", defaultValue = "20")
    int registrationsPerMinute;

    /**
     * Whether the counts must be the cluster's: then a server without a data grid, or whose
     * grid's cache cannot be used, stops the start instead of counting per instance, which would
     * multiply every limit by the number of instances ({@code scripts/cluster.sh} sets it). A
     * member alone in a grid of its own (a wrong grid name) is not detected: its log's
     * {@code DG Size} tells.
     */
    @Inject
    @ConfigProperty(name = "auth.throttle.shared", defaultValue = "false")
    boolean shared;

    Clock clock = Clock.systemUTC();

    FailureStore failures;

    /**
     * What is stored under one key, as a string: failures so far, attempts in flight (and when
     * the last was reserved), the last change, the end of the current lockout, the last success
     * (account and address) and the last administrator's unlock (account).
     */
    record Failures(
            int count,
            int pending,
            Instant reserved,
            Instant last,
            Instant lockedUntil,
            Instant succeeded,
            Instant unlocked) {

        static final Failures NONE = new Failures(0, 0, null, null, null, null, null);

        static Failures parse(String stored) {
            if (stored == null) {
                return NONE;
            }
            String[] parts = stored.split(",", -1);
            return new Failures(
                    Integer.parseInt(parts[0]),
                    Integer.parseInt(parts[1]),
                    instant(parts[2]),
                    instant(parts[3]),
                    instant(parts[4]),
                    instant(parts[5]),
                    instant(parts[6]));
        }

        String format() {
            return count + "," + pending + "," + millis(reserved) + "," + millis(last) + "," + millis(lockedUntil) + ","
                    + millis(succeeded) + "," + millis(unlocked);
        }

        private static Instant instant(String millis) {
            return millis.isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(millis));
        }

        private static String millis(Instant instant) {
            return instant == null ? "" : Long.toString(instant.toEpochMilli());
        }

        boolean lockedAt(Instant now) {
            return lockedUntil != null && now.isBefore(lockedUntil);
        }

        /** Whether there is nothing to remember: no failure, no attempt in flight, no lock, success or unlock. */
        boolean empty() {
            return count == 0 && pending == 0 && lockedUntil == null && succeeded == null && unlocked == null;
        }
    }

    /** One counted attempt: settle it with {@link #failed} or {@link #succeeded}; closing an unsettled one releases it. */
    public final class Attempt implements AutoCloseable {

        private final List<Counted> counted;
        private final String pairKey;
        private final String accountKey;
        private boolean settled;

        private Attempt(List<Counted> counted, String pairKey, String accountKey) {
            this.counted = counted;
            this.pairKey = pairKey;
            this.accountKey = accountKey;
        }

        /** The password was wrong (or the account disabled): each count gains a failure, and may lock. */
        public void failed() {
            settle(true);
        }

        /** The password was right: the account-and-address count starts over, the others only give back this attempt. */
        public void succeeded() {
            settle(false);
        }

        private void settle(boolean failure) {
            if (settled) {
                return;
            }
            settled = true;
            Instant now = clock.instant();
            Instant unlocked = read(accountKey).unlocked();
            for (Counted key : counted) {
                if (!failure && !key.reserved()) {
                    continue;
                }
                update(
                        key.key(),
                        old -> {
                            int pending = key.reserved() ? Math.max(0, old.pending() - 1) : old.pending();
                            if (failure) {
                                int count = old.count() + 1;
                                Instant lockedUntil = count >= key.limit()
                                        ? now.plusSeconds(lockSeconds(count - key.limit() + 1))
                                        : null;
                                return new Failures(
                                        count,
                                        pending,
                                        old.reserved(),
                                        now,
                                        lockedUntil,
                                        old.succeeded(),
                                        old.unlocked());
                            }
                            return key.key().equals(pairKey)
                                    ? new Failures(0, pending, old.reserved(), now, null, now, null)
                                    : new Failures(
                                            old.count(),
                                            pending,
                                            old.reserved(),
                                            old.last(),
                                            old.lockedUntil(),
                                            old.succeeded(),
                                            old.unlocked());
                        },
                        now,
                        key.key().equals(pairKey) ? unlocked : null);
            }
        }

        @Override
        public void close() {
            if (!settled) {
                settled = true;
                release(counted);
            }
        }
    }

    /** A key an attempt counts on, its limit, and whether the attempt holds a place there. */
    private record Counted(String key, int limit, boolean reserved) {}

    @PostConstruct
    void init() {
        failures = choose(GridFailureStore.ifAvailable(Math.max(resetSeconds, maxWaitSeconds)));
        LOG.info(() -> "Login failures are counted in " + failures.describe());
    }

    /** The grid's store if there is one; this instance's own unless the counts must be shared. */
    FailureStore choose(Optional<FailureStore> grid) {
        if (grid.isEmpty() && shared) {
            throw new IllegalStateException("auth.throttle.shared is true, but this server has no usable data grid:"
                    + " login failures would be counted per instance");
        }
        return grid.orElseGet(this::localStore);
    }

    void onStart(@Observes Startup startup) {
        // created with the application, so that a missing data grid stops the start, not a login
    }

    /** The store of a single instance; also what tests use. */
    FailureStore localStore() {
        return new LocalFailureStore(stored -> {
            Instant now = clock.instant();
            return current(Failures.parse(stored), now, null).equals(Failures.NONE);
        });
    }

    /**
     * Counts a password check about to run for this email from this address.
     *
     * @throws ApiException 429 while the account (for this address) or the address is locked,
     *         or while as many checks are in flight as may still fail before it locks
     */
    public Attempt attempt(String email, String address) {
        Instant now = clock.instant();
        String accountKey = accountKey(email);
        String pairKey = "pair:" + normalized(email) + "|" + address;
        Failures account = read(accountKey);
        boolean knownAddress = read(pairKey).succeeded() != null;
        List<Counted> counted = new ArrayList<>(3);
        try {
            counted.add(reserve(pairKey, accountFailures, account.unlocked(), now));
            counted.add(
                    knownAddress
                            ? new Counted(accountKey, accountCeiling, false)
                            : reserve(accountKey, accountCeiling, null, now));
            counted.add(reserve(addressKey(address), addressFailures, null, now));
        } catch (ApiException refused) {
            release(counted);
            throw refused;
        }
        return new Attempt(counted, pairKey, accountKey);
    }

    /**
     * Clears the locks of an account on every address: the ceiling's count starts over, and
     * every account-and-address count older than now is void. Attempts in flight keep their places.
     */
    public void unlock(String email) {
        Instant now = clock.instant();
        update(
                accountKey(email),
                old -> new Failures(0, old.pending(), old.reserved(), now, null, old.succeeded(), now),
                now);
    }

    /**
     * Counts a registration from this address, before its password is hashed: at most
     * {@code auth.throttle.registrations-per-minute} (20) per address in each minute.
     *
     * @throws ApiException 429 beyond that
     */
    public void registration(String address) {
        Instant now = clock.instant();
        // count: registrations in the current window; lockedUntil: when that window ends
        update(
                "registrations:" + address,
                old -> {
                    if (!old.lockedAt(now)) {
                        return new Failures(1, 0, null, now, now.plusSeconds(60), null, null);
                    }
                    if (old.count() >= registrationsPerMinute) {
                        throw ApiException.tooManyRequests(
                                REGISTRATION_DETAIL,
                                Duration.between(now, old.lockedUntil()).toSeconds() + 1);
                    }
                    return new Failures(old.count() + 1, 0, null, now, old.lockedUntil(), null, null);
                },
                now);
    }

    /** Takes a place under {@code key}, or refuses while locked or while its free places are all in flight. */
    private Counted reserve(String key, int limit, Instant unlocked, Instant now) {
        update(
                key,
                old -> {
                    Failures current = current(old, now, unlocked);
                    if (current.lockedAt(now)) {
                        throw locked(
                                Duration.between(now, current.lockedUntil()).toSeconds() + 1);
                    }
                    if (current.pending() >= Math.max(1, limit - current.count())) {
                        // the attempts in flight may lock it; their answers come within about a second
                        throw locked(1);
                    }
                    return new Failures(
                            current.count(),
                            current.pending() + 1,
                            now,
                            now,
                            current.lockedUntil(),
                            current.succeeded(),
                            current.unlocked());
                },
                now,
                unlocked);
        return new Counted(key, limit, true);
    }

    private void release(List<Counted> counted) {
        Instant now = clock.instant();
        for (Counted key : counted) {
            if (key.reserved()) {
                update(
                        key.key(),
                        old -> new Failures(
                                old.count(),
                                Math.max(0, old.pending() - 1),
                                old.reserved(),
                                old.last(),
                                old.lockedUntil(),
                                old.succeeded(),
                                old.unlocked()),
                        now);
            }
        }
    }

    private static ApiException locked(long retryAfterSeconds) {
        return ApiException.tooManyRequests(DETAIL, retryAfterSeconds);
    }

    private Failures read(String key) {
        return current(Failures.parse(failures.get(key)), clock.instant(), null);
    }

    private void update(String key, UnaryOperator<Failures> change, Instant now) {
        update(key, change, now, null);
    }

    /**
     * Changes the value under {@code key} atomically, also when other instances change it: a
     * compare-and-set loop over the store. {@code change} sees the value as it stands now
     * (forgotten counts and expired reservations dropped); if it throws, nothing is written. A
     * value left with nothing to remember is removed, so that attempts refused or given back
     * (429s from a locked address, say, each naming a new email) leave no entries behind.
     */
    private void update(String key, UnaryOperator<Failures> change, Instant now, Instant unlocked) {
        while (true) {
            String stored = failures.get(key);
            Failures changed = change.apply(current(Failures.parse(stored), now, unlocked));
            if (changed.empty()) {
                if (stored == null || failures.remove(key, stored)) {
                    return;
                }
                continue;
            }
            String updated = changed.format();
            if (stored == null ? failures.putIfAbsent(key, updated) : failures.replace(key, stored, updated)) {
                return;
            }
        }
    }

    /**
     * A stored value as it counts at {@code now}: counts are forgotten {@code reset-seconds}
     * after their last change or when an administrator unlocked the account since, and a
     * reservation older than {@link #PENDING_SECONDS} no longer holds a place.
     */
    private Failures current(Failures stored, Instant now, Instant unlocked) {
        boolean forgotten = stored.last() == null
                || !now.isBefore(stored.last().plusSeconds(resetSeconds))
                || unlocked != null && !stored.last().isAfter(unlocked);
        boolean pendingExpired =
                stored.reserved() == null || !now.isBefore(stored.reserved().plusSeconds(PENDING_SECONDS));
        Instant succeeded =
                stored.succeeded() != null && now.isBefore(stored.succeeded().plusSeconds(resetSeconds))
                        ? stored.succeeded()
                        : null;
        Instant unlockedAt =
                stored.unlocked() != null && now.isBefore(stored.unlocked().plusSeconds(resetSeconds))
                        ? stored.unlocked()
                        : null;
        int pending = pendingExpired ? 0 : stored.pending();
        return new Failures(
                forgotten ? 0 : stored.count(),
                pending,
                pending == 0 ? null : stored.reserved(),
                forgotten && pending == 0 && succeeded == null && unlockedAt == null ? null : stored.last(),
                forgotten ? null : stored.lockedUntil(),
                succeeded,
                unlockedAt);
    }

    /** The wait after the n-th locking failure: doubling, capped. */
    long lockSeconds(int lockingFailure) {
        int doublings = Math.min(lockingFailure - 1, 20);
        return Math.min(maxWaitSeconds, waitSeconds << doublings);
    }

    private static String normalized(String email) {
        return email == null ? "" : User.normalizeEmail(email);
    }

    private static String accountKey(String email) {
        return "account:" + normalized(email);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
