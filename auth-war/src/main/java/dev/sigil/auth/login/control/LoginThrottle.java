package dev.sigil.auth.login.control;

import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The counts live in this instance's memory; they restart empty with the service.
 */
@ApplicationScoped
public class LoginThrottle {

    static final String DETAIL = "Too many failed logins; try again later";
    static final int MAX_TRACKED = 100_000;

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

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    /** Failures so far and the end of the current lockout. */
    record Failures(int count, Instant last, Instant lockedUntil) {
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
        Failures current = failures.get(key);
        return current != null && current.lockedUntil() != null && now.isBefore(current.lockedUntil())
                ? current.lockedUntil() : null;
    }

    private void record(String key, int free, Instant now) {
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(old -> old.last().plusSeconds(resetSeconds).isBefore(now));
        }
        failures.compute(key, (k, old) -> {
            int count = old == null || old.last().plusSeconds(resetSeconds).isBefore(now) ? 1 : old.count() + 1;
            Instant lockedUntil = count >= free ? now.plusSeconds(wait(count - free + 1)) : null;
            return new Failures(count, now, lockedUntil);
        });
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
