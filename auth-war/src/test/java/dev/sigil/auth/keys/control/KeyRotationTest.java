package dev.sigil.auth.keys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.keys.control.KeySchedule.State;
import dev.sigil.auth.keys.control.KeySchedule.Status;
import dev.sigil.auth.keys.entity.SigningKey;
import dev.sigil.jwt.JwksUrlSource;
import dev.sigil.testkit.CapturedLog;
import dev.sigil.web.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KeyRotationTest {

    final TestKeyRings.MemoryStore store = new TestKeyRings.MemoryStore();
    final KeyRing ring = TestKeyRings.over(store);
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeEach
    void start() {
        tick(0);
    }

    void tick(long seconds) {
        now = now.plusSeconds(seconds);
        ring.clock = Clock.fixed(now, ZoneOffset.UTC);
    }

    State stateOf(String kid) {
        return ring.statuses().stream()
                .filter(s -> s.key().kid().equals(kid))
                .map(Status::state)
                .findFirst()
                .orElse(State.REMOVED);
    }

    @Test
    void aRotatedKeyIsPublishedFirstThenSignsAndTheOldOneStaysUntilItsTokensExpire() {
        String first = ring.signingKey().getKeyId();
        Status next = ring.rotate(null);
        String second = next.key().kid();
        assertEquals(State.PUBLISHED, next.state());
        assertEquals(first, ring.signingKey().getKeyId(), "the new key does not sign yet");
        assertTrue(ring.jwks().contains(second), "but it is published");

        tick(120);
        assertEquals(second, ring.signingKey().getKeyId(), "after the lead time it signs");
        assertEquals(State.RETIRED, stateOf(first));
        assertTrue(ring.jwks().contains(first), "the old key verifies the tokens it signed");

        tick(359);
        assertTrue(ring.jwks().contains(first));
        tick(1);
        assertFalse(ring.jwks().contains(first), "gone once token lifetime and skew have passed");
        TestKeyRings.maintenance(ring).maintain();
        assertTrue(store.keys.stream().noneMatch(key -> key.kid().equals(first)), "and deleted");
    }

    /** The line OPERATIONS.md tells an operator to wait for: when the rotated key takes over, not only at start. */
    @Test
    void theSwitchToARotatedKeyIsLoggedOnceWhenItHappens() {
        try (CapturedLog log = CapturedLog.of(KeyRing.class)) {
            ring.signingKey();
            String second = ring.rotate(null).key().kid();
            ring.signingKey();
            List<String> lines = signingLines(log);
            assertEquals(1, lines.size(), "at start only: " + lines);
            tick(120);
            assertEquals(second, ring.signingKey().getKeyId());
            ring.signingKey();
            lines = signingLines(log);
            assertEquals(2, lines.size(), lines::toString);
            assertTrue(lines.get(1).startsWith("Signing with key " + second), lines::toString);
        }
    }

    static List<String> signingLines(CapturedLog log) {
        return log.messages(Level.INFO).stream()
                .filter(line -> line.startsWith("Signing with key"))
                .toList();
    }

    @Test
    void rotationsInALoopStopAtSixteenPublishedKeysWhichTheValidatorsStillRead() {
        for (int i = 1; i < KeyRing.MAX_PUBLISHED; i++) {
            ring.rotate(null);
        }
        assertTrue(
                ring.jwks().length() < JwksUrlSource.MAX_BYTES / 2,
                "16 keys: " + ring.jwks().length() + " bytes, well within what business reads");
        ApiException refused = assertThrows(ApiException.class, () -> ring.rotate(null));
        assertEquals(409, refused.status());
        tick(120 + 360);
        TestKeyRings.maintenance(ring).maintain();
        assertEquals(State.PUBLISHED, ring.rotate(null).state(), "possible again once the older keys are gone");
    }

    @Test
    void removedKeysThatMaintenanceHasNotDeletedYetDoNotCountTowardsTheCap() {
        for (int i = 1; i < KeyRing.MAX_PUBLISHED; i++) {
            ring.rotate(null);
        }
        assertThrows(ApiException.class, () -> ring.rotate(null));
        tick(120 + 360);
        assertEquals(KeyRing.MAX_PUBLISHED, store.keys.size(), "still stored: no maintenance ran");
        assertEquals(State.PUBLISHED, ring.rotate(null).state(), "only the one active key is published");
    }

    @Test
    void maintenanceRotatesWhenTheNewestKeyIsOldEnough() {
        String first = ring.signingKey().getKeyId();
        tick(30 * 86_400 - 1);
        TestKeyRings.maintenance(ring).maintain();
        assertEquals(1, store.keys.size());
        tick(1);
        TestKeyRings.maintenance(ring).maintain();
        assertEquals(2, store.keys.size());
        tick(120);
        assertNotEquals(first, ring.signingKey().getKeyId());
    }

    @Test
    void aRotationMaySwitchToEs256() {
        Status ec = ring.rotate("ES256");
        tick(120);
        assertEquals("ES256", ring.signingKey().getAlgorithm());
        assertEquals(ec.key().kid(), ring.signingKey().getKeyId());
        assertThrows(IllegalArgumentException.class, () -> ring.rotate("HS256"));
    }

    @Test
    void anotherInstanceOverTheSameDatabaseFollows() {
        ring.signingKey();
        KeyRing other = TestKeyRings.over(store);
        other.clock = ring.clock;
        assertEquals(ring.signingKey().getKeyId(), other.signingKey().getKeyId());
        Status next = ring.rotate(null);
        tick(120);
        other.clock = ring.clock;
        other.reload();
        assertEquals(next.key().kid(), other.signingKey().getKeyId());
    }

    @Test
    void instancesStartingTogetherOnAnEmptyDatabaseCreateOneFirstKey() throws Exception {
        List<KeyRing> rings = List.of(TestKeyRings.over(store), TestKeyRings.over(store), TestKeyRings.over(store));
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(rings.size());
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<String>> started = rings.stream()
                    .map(r -> threads.submit(() -> {
                        go.await();
                        return r.signingKey().getKeyId();
                    }))
                    .toList();
            go.countDown();
            List<String> signing = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<String> start : started) {
                signing.add(start.get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertEquals(1, store.keys.size());
            String kid = store.keys.get(0).kid();
            assertEquals(List.of(kid, kid, kid), signing, "every instance signs with the one key");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aScheduledRotationIsRunByOneInstanceOnly() {
        ring.signingKey();
        tick(30 * 86_400);
        // a second instance over the same keys; just before it takes the lock, the first one rotates
        TestKeyRings.MemoryStore late = new TestKeyRings.MemoryStore() {
            @Override
            public List<SigningKey> newestFirst() {
                return store.newestFirst();
            }

            @Override
            public void add(SigningKey key) {
                store.add(key);
            }

            @Override
            public <T> T exclusively(Supplier<T> decision) {
                TestKeyRings.maintenance(ring).maintain();
                return store.exclusively(decision);
            }
        };
        KeyRing other = TestKeyRings.over(late);
        other.clock = ring.clock;
        TestKeyRings.maintenance(other).maintain();
        assertEquals(
                2, store.keys.size(), "the second instance saw the rotation was due, then the new key under the lock");
    }

    @Test
    void theScheduleIsDerivedFromActivationTimes() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<KeySchedule.Key> keys = List.of(
                new KeySchedule.Key("a", "RS256", t, t),
                new KeySchedule.Key("b", "RS256", t.plusSeconds(100), t.plusSeconds(220)));
        List<Status> at = KeySchedule.at(keys, t.plusSeconds(150), 360);
        assertEquals(
                List.of(State.ACTIVE, State.PUBLISHED),
                at.stream().map(Status::state).toList());
        assertEquals(t.plusSeconds(220), KeySchedule.nextChange(at, t.plusSeconds(150)));
        assertEquals(t.plusSeconds(580), at.get(0).removesAt());
        assertEquals(
                List.of(State.REMOVED, State.ACTIVE),
                KeySchedule.at(keys, t.plusSeconds(580), 360).stream()
                        .map(Status::state)
                        .toList());
    }
}
