package dev.sigil.auth.login.control;

import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Slows down password guessing, per account and per client address, after the pattern of
 * Keycloak's brute-force detection: after a number of failures, that failure and every further
 * one lock the account (or address) for a wait that doubles from {@code auth.throttle.wait-seconds}
 * (60) up to {@code auth.throttle.max-wait-seconds} (900). While locked every attempt, even with
 * the right password, is answered 429 with {@code Retry-After}, before any password is checked.
 * <ul>
 * <li>Accounts: {@code auth.throttle.account-failures} (5) failures lock; a successful login
 * resets the count. Unknown emails are counted the same way, so a lockout says nothing about
 * whether an account exists.</li>
 * <li>Addresses: {@code auth.throttle.address-failures} (50) failures lock, never reset by a
 * success (an attacker's own account must not wash away the count of their guesses).</li>
 * <li>Counts are forgotten {@code auth.throttle.reset-seconds} (43200, twelve hours) after the
 * last failure.</li>
 * </ul>
 * With several auth instances in one Payara data grid the counts are shared through it (see
 * {@link GridFailureStore}), so failures are counted across instances; a single instance, or
 * one started with {@code --nohazelcast}, keeps them in memory, and they restart empty with it.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final Logger LOG = Logger.getLogger(LoginThrottle.class.getName());
    static final String DETAIL = "Too many failed logins; try again later";

    @Inject
    @ConfigProperty(name = "auth.throttle.account-failures", defaultValue = "5")
    int accountFailures;

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

    Clock clock = Clock.systemUTC();

    FailureStore failures;

    /** Failures so far and the end of the current lockout, stored as a string. */
    record Failures(int count, Instant last, Instant lockedUntil) {

        static Failures parse(String stored) {
            String[] parts = stored.split(",", -1);
            return new Failures(Integer.parseInt(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])),
                    parts[2].isEmpty() ? null : Instant.ofEpochMilli(Long.parseLong(parts[2])));
        }

        String format() {
            return count + "," + last.toEpochMilli() + "," + (lockedUntil == null ? "" : lockedUntil.toEpochMilli());
        }
    }

    @PostConstruct
    void init() {
        failures = GridFailureStore.ifAvailable(Math.max(resetSeconds, maxWaitSeconds)).orElseGet(this::localStore);
        LOG.info(() -> "Login failures are counted in " + failures.describe());
    }

    /** The store of a single instance; also what tests use. */
    FailureStore localStore() {
        return new LocalFailureStore(stored -> forgotten(Failures.parse(stored), clock.instant()));
    }

    private boolean forgotten(Failures failures, Instant now) {
        return failures.last().plusSeconds(resetSeconds).isBefore(now);
    }

    /** @throws ApiException 429 while the account or the address is locked */
    public void check(String email, String address) {
        Instant now = clock.instant();
        Instant until = later(lockedUntil(accountKey(email), now), lockedUntil(addressKey(address), now));
        if (until != null) {
            throw ApiException.tooManyRequests(DETAIL, Duration.between(now, until).toSeconds() + 1);
        }
    }

    public void failed(String email, String address) {
        Instant now = clock.instant();
        record(accountKey(email), accountFailures, now);
        record(addressKey(address), addressFailures, now);
    }

    public void succeeded(String email) {
        failures.remove(accountKey(email));
    }

    private Instant lockedUntil(String key, Instant now) {
        String stored = failures.get(key);
        if (stored == null) {
            return null;
        }
        Failures current = Failures.parse(stored);
        return current.lockedUntil() != null && now.isBefore(current.lockedUntil()) ? current.lockedUntil() : null;
    }

    /** Counts one failure, atomically also when other instances count for the same key. */
    private void record(String key, int free, Instant now) {
        while (true) {
            String stored = failures.get(key);
            Failures old = stored == null ? null : Failures.parse(stored);
            int count = old == null || forgotten(old, now) ? 1 : old.count() + 1;
            Instant lockedUntil = count >= free ? now.plusSeconds(wait(count - free + 1)) : null;
            String updated = new Failures(count, now, lockedUntil).format();
            if (stored == null ? failures.putIfAbsent(key, updated) : failures.replace(key, stored, updated)) {
                return;
            }
        }
    }

    /** The wait after the n-th locking failure: doubling, capped. */
    long wait(int lockingFailure) {
        int doublings = Math.min(lockingFailure - 1, 20);
        return Math.min(maxWaitSeconds, waitSeconds << doublings);
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    private static String accountKey(String email) {
        return "account:" + (email == null ? "" : User.normalizeEmail(email));
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
