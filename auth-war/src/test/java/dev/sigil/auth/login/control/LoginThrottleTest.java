package dev.sigil.auth.login.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sigil.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final LoginThrottle throttle = new LoginThrottle();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void defaults() {
        throttle.accountFailures = 5;
        throttle.addressFailures = 50;
        throttle.waitSeconds = 60;
        throttle.maxWaitSeconds = 900;
        throttle.resetSeconds = 43_200;
        throttle.failures = throttle.localStore();
        tick(0);
    }

    void tick(long seconds) {
        now = now.plusSeconds(seconds);
        throttle.clock = Clock.fixed(now, ZoneOffset.UTC);
    }

    void fail(String email, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(email, "10.0.0.1");
        }
    }

    @Test
    void theFifthFailureLocksTheAccountForAMinute() {
        fail("a@example.com", 4);
        assertDoesNotThrow(() -> throttle.check("a@example.com", "10.0.0.1"));
        fail("A@Example.com ", 1);
        ApiException locked = assertThrows(ApiException.class, () -> throttle.check("a@example.com", "10.0.0.2"));
        assertEquals(429, locked.status());
        assertEquals(61, locked.retryAfterSeconds());
        tick(60);
        assertDoesNotThrow(() -> throttle.check("a@example.com", "10.0.0.1"));
    }

    @Test
    void furtherFailuresDoubleTheWaitUpToTheCap() {
        assertEquals(60, throttle.wait(1));
        assertEquals(120, throttle.wait(2));
        assertEquals(480, throttle.wait(4));
        assertEquals(900, throttle.wait(5));
        assertEquals(900, throttle.wait(1000));
    }

    @Test
    void successResetsTheAccountButNotTheAddress() {
        fail("a@example.com", 4);
        throttle.succeeded("a@example.com");
        fail("a@example.com", 4);
        assertDoesNotThrow(() -> throttle.check("a@example.com", "10.0.0.1"));
        for (int i = 0; i < 42; i++) {
            throttle.failed("other" + i + "@example.com", "10.0.0.1");
        }
        assertThrows(ApiException.class, () -> throttle.check("fresh@example.com", "10.0.0.1"), "50 failures lock the address");
        assertDoesNotThrow(() -> throttle.check("fresh@example.com", "10.0.0.9"));
    }

    @Test
    void countsAreForgottenAfterTheResetPeriod() {
        fail("a@example.com", 4);
        tick(43_201);
        fail("a@example.com", 1);
        assertDoesNotThrow(() -> throttle.check("a@example.com", "10.0.0.1"));
    }

    @Test
    void instancesSharingAStoreCountTogether() throws Exception {
        LoginThrottle other = new LoginThrottle();
        other.accountFailures = 5;
        other.addressFailures = 50;
        other.waitSeconds = 60;
        other.maxWaitSeconds = 900;
        other.resetSeconds = 43_200;
        other.clock = throttle.clock;
        other.failures = throttle.failures;
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            LoginThrottle instance = t % 2 == 0 ? throttle : other;
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 25; i++) {
                    instance.failed("shared@example.com", "10.0.0.9");
                }
            });
            threads[t].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        // 100 failures in all, none lost to a race: the address (50) is locked on both
        assertEquals("100", throttle.failures.get("address:10.0.0.9").split(",")[0]);
        assertThrows(ApiException.class, () -> other.check("someone@example.com", "10.0.0.9"));
        assertThrows(ApiException.class, () -> throttle.check("shared@example.com", "10.0.0.1"));
    }

    @Test
    void storedFailuresReadBackAsWritten() {
        var locked = new LoginThrottle.Failures(7, Instant.ofEpochMilli(1_700_000_000_123L), Instant.ofEpochMilli(1_700_000_060_123L));
        assertEquals(locked, LoginThrottle.Failures.parse(locked.format()));
        var open = new LoginThrottle.Failures(1, Instant.ofEpochMilli(5), null);
        assertEquals(open, LoginThrottle.Failures.parse(open.format()));
    }
}
