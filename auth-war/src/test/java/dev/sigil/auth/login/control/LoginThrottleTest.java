package dev.sigil.auth.login.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    static final String VICTIM = "a@example.com";

    final LoginThrottle throttle = configured();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    static LoginThrottle configured() {
        LoginThrottle throttle = new LoginThrottle();
        throttle.accountFailures = 5;
        throttle.accountCeiling = 20;
        throttle.addressFailures = 50;
        throttle.waitSeconds = 60;
        throttle.maxWaitSeconds = 900;
        throttle.resetSeconds = 43_200;
        throttle.registrationsPerMinute = 20;
        return throttle;
    }

    @org.junit.jupiter.api.Test
    void sharedCountsWithoutADataGridStopTheStartAndOtherwiseTheLocalStoreServes() {
        LoginThrottle shared = configured();
        shared.shared = true;
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> shared.choose(java.util.Optional.empty()));
        assertTrue(refused.getMessage().contains("auth.throttle.shared is true"), refused::getMessage);
        FailureStore grid = shared.localStore();
        assertSame(grid, shared.choose(java.util.Optional.of(grid)), "the grid's store when there is one");
        LoginThrottle alone = configured();
        assertTrue(
                alone.choose(java.util.Optional.empty()) instanceof LocalFailureStore,
                "a single instance counts alone");
    }

    @BeforeEach
    void defaults() {
        throttle.failures = throttle.localStore();
        tick(0);
    }

    void tick(long seconds) {
        now = now.plusSeconds(seconds);
        throttle.clock = Clock.fixed(now, ZoneOffset.UTC);
    }

    void fail(String email, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.attempt(email, address).failed();
        }
    }

    void succeed(String email, String address) {
        throttle.attempt(email, address).succeeded();
    }

    void assertOpen(String email, String address) {
        assertDoesNotThrow(() -> throttle.attempt(email, address).close(), email + " from " + address);
    }

    ApiException assertLocked(String email, String address) {
        ApiException locked =
                assertThrows(ApiException.class, () -> throttle.attempt(email, address), email + " from " + address);
        assertEquals(429, locked.status());
        return locked;
    }

    @Test
    void theFifthFailureLocksTheAccountOnThatAddressForAMinute() {
        fail(VICTIM, "10.0.0.1", 4);
        assertOpen(VICTIM, "10.0.0.1");
        fail("A@Example.com ", "10.0.0.1", 1);
        assertEquals(61, assertLocked(VICTIM, "10.0.0.1").retryAfterSeconds());
        assertOpen(VICTIM, "10.0.0.2");
        tick(60);
        assertOpen(VICTIM, "10.0.0.1");
    }

    @Test
    void furtherFailuresDoubleTheWaitUpToTheCap() {
        assertEquals(60, throttle.lockSeconds(1));
        assertEquals(120, throttle.lockSeconds(2));
        assertEquals(480, throttle.lockSeconds(4));
        assertEquals(900, throttle.lockSeconds(5));
        assertEquals(900, throttle.lockSeconds(1000));
        fail(VICTIM, "10.0.0.1", 5);
        tick(60);
        fail(VICTIM, "10.0.0.1", 1);
        assertEquals(121, assertLocked(VICTIM, "10.0.0.1").retryAfterSeconds());
    }

    @Test
    void attemptsInFlightHoldTheirPlacesSoConcurrentGuessesGetNoMoreChecks() {
        List<LoginThrottle.Attempt> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(throttle.attempt(VICTIM, "10.0.0.1"));
        }
        for (int i = 0; i < 15; i++) {
            assertEquals(1, assertLocked(VICTIM, "10.0.0.1").retryAfterSeconds(), "decided within a second");
        }
        inFlight.forEach(LoginThrottle.Attempt::failed);
        assertEquals(61, assertLocked(VICTIM, "10.0.0.1").retryAfterSeconds());
    }

    @Test
    void afterALockoutOneAttemptAtATimeIsChecked() {
        fail(VICTIM, "10.0.0.1", 5);
        tick(60);
        LoginThrottle.Attempt first = throttle.attempt(VICTIM, "10.0.0.1");
        assertLocked(VICTIM, "10.0.0.1");
        first.failed();
        assertEquals(121, assertLocked(VICTIM, "10.0.0.1").retryAfterSeconds());
    }

    @Test
    void anUnsettledAttemptGivesBackItsPlaceWhenClosedOrAfterThirtySeconds() {
        List<LoginThrottle.Attempt> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(throttle.attempt(VICTIM, "10.0.0.1"));
        }
        assertLocked(VICTIM, "10.0.0.1");
        inFlight.get(0).close();
        inFlight.get(0).failed(); // closed: settling it counts nothing more
        LoginThrottle.Attempt another = throttle.attempt(VICTIM, "10.0.0.1");
        assertLocked(VICTIM, "10.0.0.1");
        tick(LoginThrottle.PENDING_SECONDS);
        assertOpen(VICTIM, "10.0.0.1");
        another.failed();
        assertOpen(VICTIM, "10.0.0.1");
    }

    @Test
    void concurrentGuessesFromTwoInstancesGetAtMostFiveChecks() throws Exception {
        int checks = guessAtOnce(40, i -> VICTIM, i -> "10.0.0.1");
        assertEquals(5, checks, "password checks");
        assertEquals(
                checks + ",0",
                throttle.failures.get("pair:" + VICTIM + "|10.0.0.1").substring(0, 3),
                "every check counted, no place left taken");
    }

    @Test
    void concurrentGuessesFromManyAddressesGetNoMoreChecksThanTheCeiling() throws Exception {
        int checks = guessAtOnce(80, i -> VICTIM, i -> "198.51.100." + i);
        assertEquals(throttle.accountCeiling, checks, "password checks");
        assertTrue(throttle.failures.get("account:" + VICTIM).startsWith(checks + ",0,"), "every check counted");
        assertLocked(VICTIM, "203.0.113.7");
    }

    @Test
    void concurrentGuessesAtManyAccountsFromOneAddressGetNoMoreChecksThanTheAddressLimit() throws Exception {
        int checks = guessAtOnce(150, i -> "user" + i + "@example.com", i -> "10.0.0.1");
        assertEquals(throttle.addressFailures, checks, "password checks");
        assertTrue(throttle.failures.get("address:10.0.0.1").startsWith(checks + ",0,"), "every check counted");
        assertLocked("fresh@example.com", "10.0.0.1");
    }

    /**
     * {@code guesses} wrong passwords released at once, alternately through this throttle and
     * another instance sharing its store (as the data grid shares it): every guess is either a
     * password check that fails or a 429. Returns the number of checks. Each limit is reached
     * exactly: a guess is refused only while the places left are all taken by checks in flight.
     */
    private int guessAtOnce(int guesses, IntFunction<String> email, IntFunction<String> address) throws Exception {
        LoginThrottle other = configured();
        other.clock = throttle.clock;
        other.failures = throttle.failures;
        List<Integer> answers = Concurrently.atOnce(guesses, i -> {
            LoginThrottle instance = i % 2 == 0 ? throttle : other;
            LoginThrottle.Attempt attempt;
            try {
                attempt = instance.attempt(email.apply(i), address.apply(i));
            } catch (ApiException refused) {
                return refused.status();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the hash
            attempt.failed();
            return 401;
        });
        int checks = (int) answers.stream().filter(status -> status == 401).count();
        assertEquals(
                guesses - checks,
                answers.stream().filter(status -> status == 429).count(),
                "each refused with 429");
        return checks;
    }

    @Test
    void refusedAndGivenBackAttemptsLeaveNothingBehind() {
        for (int i = 0; i < 50; i++) {
            fail("user" + i + "@example.com", "10.0.0.1", 1);
        }
        LocalFailureStore store = (LocalFailureStore) throttle.failures;
        int held = store.size();
        for (int i = 0; i < 1_000; i++) {
            assertLocked("new" + i + "@example.com", "10.0.0.1");
        }
        assertEquals(held, store.size(), "a thousand 429s from a locked address, each for a new email");
        throttle.attempt("given-back@example.com", "10.0.0.2").close();
        assertEquals(held, store.size(), "an attempt given back unsettled");
        fail(VICTIM, "10.0.0.3", 1);
        assertEquals(held + 3, store.size(), "a failure is remembered under its three keys");
    }

    @Test
    void theOwnerOnAnotherAddressIsNotLockedOutByAGuesser() {
        fail(VICTIM, "198.51.100.1", 5);
        assertLocked(VICTIM, "198.51.100.1");
        assertDoesNotThrow(() -> succeed(VICTIM, "203.0.113.5"), "an address that never failed");
    }

    @Test
    void theCeilingCapsGuessingFromManyAddressesButNotWhereTheOwnerLogsIn() {
        succeed(VICTIM, "203.0.113.5");
        for (int address = 1; address <= 4; address++) {
            fail(VICTIM, "198.51.100." + address, 5);
        }
        ApiException ceiling = assertLocked(VICTIM, "198.51.100.99");
        assertEquals(61, ceiling.retryAfterSeconds());
        assertLocked(VICTIM, "2001:db8::/64");
        assertDoesNotThrow(() -> succeed(VICTIM, "203.0.113.5"), "the owner's address still gets in");
        fail(VICTIM, "203.0.113.5", 4);
        assertDoesNotThrow(() -> succeed(VICTIM, "203.0.113.5"), "under its own count of five");
        assertOpen("other@example.com", "198.51.100.99");
    }

    @Test
    void unlockingClearsTheAccountOnEveryAddressButNotTheAddresses() {
        throttle.addressFailures = 7;
        for (int address = 1; address <= 4; address++) {
            fail(VICTIM, "198.51.100." + address, 5);
        }
        fail("other@example.com", "198.51.100.1", 2);
        assertLocked(VICTIM, "198.51.100.2");
        assertLocked(VICTIM, "203.0.113.9");
        throttle.unlock(VICTIM);
        assertOpen(VICTIM, "198.51.100.2");
        assertOpen(VICTIM, "203.0.113.9");
        assertLocked("third@example.com", "198.51.100.1"); // 5 + 2 failures lock that address
        fail(VICTIM, "198.51.100.2", 1);
        assertOpen(VICTIM, "198.51.100.2"); // one failure since the unlock, not six
    }

    @Test
    void successResetsTheAccountOnItsAddressButNotTheAddress() {
        fail(VICTIM, "10.0.0.1", 4);
        succeed(VICTIM, "10.0.0.1");
        fail(VICTIM, "10.0.0.1", 4);
        assertOpen(VICTIM, "10.0.0.1");
        for (int i = 0; i < 42; i++) {
            fail("other" + i + "@example.com", "10.0.0.1", 1);
        }
        assertLocked("fresh@example.com", "10.0.0.1");
        assertOpen("fresh@example.com", "10.0.0.9");
    }

    @Test
    void countsAreForgottenAfterTheResetPeriod() {
        fail(VICTIM, "10.0.0.1", 4);
        tick(43_201);
        fail(VICTIM, "10.0.0.1", 1);
        assertOpen(VICTIM, "10.0.0.1");
    }

    @Test
    void registrationsAreLimitedPerAddressAndMinute() {
        for (int i = 0; i < 20; i++) {
            throttle.registration("10.0.0.1");
        }
        tick(15);
        ApiException refused = assertThrows(ApiException.class, () -> throttle.registration("10.0.0.1"));
        assertEquals(429, refused.status());
        assertEquals(46, refused.retryAfterSeconds());
        assertDoesNotThrow(() -> throttle.registration("10.0.0.2"));
        tick(45);
        assertDoesNotThrow(() -> throttle.registration("10.0.0.1"));
    }

    @Test
    void storedFailuresReadBackAsWritten() {
        var full = new LoginThrottle.Failures(
                7,
                2,
                Instant.ofEpochMilli(1_700_000_000_001L),
                Instant.ofEpochMilli(1_700_000_000_123L),
                Instant.ofEpochMilli(1_700_000_060_123L),
                Instant.ofEpochMilli(5),
                Instant.ofEpochMilli(6));
        assertEquals(full, LoginThrottle.Failures.parse(full.format()));
        assertEquals(LoginThrottle.Failures.NONE, LoginThrottle.Failures.parse(LoginThrottle.Failures.NONE.format()));
    }
}
