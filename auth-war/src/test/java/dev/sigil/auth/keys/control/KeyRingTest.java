package dev.sigil.auth.keys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.keys.entity.SigningKey;
import dev.sigil.jwt.KeySet;
import dev.sigil.jwt.KeySource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

class KeyRingTest {

    @Test
    void firstStartGeneratesAndStoresOneKey() throws Exception {
        TestKeyRings.MemoryStore store = new TestKeyRings.MemoryStore();
        KeyRing cut = TestKeyRings.over(store);
        String kid = cut.signingKey().getKeyId();
        assertEquals(1, store.keys.size());
        assertEquals(kid, store.keys.get(0).kid());
        assertEquals(kid, cut.signingKey().calculateBase64urlEncodedThumbprint("SHA-256"), "kid is the thumbprint");
        assertEquals("RS256", cut.signingKey().getAlgorithm());
    }

    @Test
    void aRestartSignsWithTheStoredKey() {
        TestKeyRings.MemoryStore store = new TestKeyRings.MemoryStore();
        String before = TestKeyRings.over(store).signingKey().getKeyId();
        String after = TestKeyRings.over(store).signingKey().getKeyId();
        assertEquals(before, after);
        assertEquals(1, store.keys.size());
    }

    @Test
    void separateDatabasesGetSeparateKeys() {
        assertNotEquals(
                TestKeyRings.fresh().signingKey().getKeyId(),
                TestKeyRings.fresh().signingKey().getKeyId());
    }

    @Test
    void jwksHoldsNoPrivatePart() throws Exception {
        KeyRing cut = TestKeyRings.fresh();
        String jwks = cut.jwks();
        for (String secret : List.of("\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"")) {
            assertFalse(jwks.contains(secret), secret + " in " + jwks);
        }
        JsonWebKeySet set = new JsonWebKeySet(jwks);
        assertEquals(cut.signingKey().getKeyId(), set.getJsonWebKeys().get(0).getKeyId());
        assertEquals("sig", set.getJsonWebKeys().get(0).getUse());
    }

    /** A database whose key reads hang, once told to, until answered. */
    static class HangingStore extends TestKeyRings.MemoryStore {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch answer = new CountDownLatch(1);
        volatile boolean hang;

        @Override
        public List<SigningKey> newestFirst() {
            if (hang) {
                reading.countDown();
                try {
                    answer.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return super.newestFirst();
        }
    }

    /**
     * A reload reads the database outside the lock that signing and the JWKS take: while its
     * read hangs (a database that does not answer), a reader whose keys ran out recomputes them
     * from memory and goes on.
     */
    @Test
    void signingAndTheJwksDoNotWaitForAReloadsDatabaseRead() throws Exception {
        HangingStore store = new HangingStore();
        KeyRing cut = TestKeyRings.over(store);
        String kid = cut.signingKey().getKeyId();
        cut.clock = Clock.fixed(Instant.now().plusSeconds(cut.reloadSeconds() + 1), ZoneOffset.UTC); // the keys ran out
        store.hang = true;
        CompletableFuture<Void> reload = CompletableFuture.runAsync(cut::reload);
        try {
            assertTrue(store.reading.await(5, TimeUnit.SECONDS), "the reload reads the database");
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                assertEquals(kid, cut.signingKey().getKeyId());
                assertTrue(cut.jwks().contains(kid));
                assertTrue(cut.jwksIfLoaded().isPresent());
            });
        } finally {
            store.answer.countDown();
        }
        reload.get(5, TimeUnit.SECONDS);
    }

    /**
     * The key mirror starts before the keys are loaded: its first fetch waits for them instead
     * of finding none, which would leave the first tokens of a fresh start refused.
     */
    @Test
    void theOwnKeySourceWaitsForTheFirstLoad() throws Exception {
        KeyRing ring = TestKeyRings.fresh();
        KeyRingSource own = new KeyRingSource();
        own.ring = ring;
        KeySource source = own;
        CompletableFuture<KeySet> fetched = CompletableFuture.supplyAsync(() -> {
            try {
                return source.fetch();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        assertFalse(fetched.isDone(), "nothing loaded yet: the fetch waits");
        String kid = ring.signingKey().getKeyId();
        assertEquals(List.of(kid), List.copyOf(fetched.get(5, TimeUnit.SECONDS).kids()));
    }
}
