package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.JwksServer;
import dev.sigil.testkit.TokenMinter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMirrorTest {

    static final TokenMinter A = new TokenMinter("iss", "aud");
    static final TokenMinter B = new TokenMinter("iss", "aud");

    @TempDir
    Path dir;

    final JwksServer auth = new JwksServer();
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

    @AfterEach
    void close() {
        auth.close();
        scheduler.shutdownNow();
    }

    KeyMirror mirror() {
        KeyMirror mirror = new KeyMirror();
        mirror.refreshSeconds = 3600;
        mirror.fetchTimeoutMs = 1000;
        mirror.unknownKidWaitMs = 300;
        mirror.minRefetchSeconds = 2;
        JwksUrlSource source = new JwksUrlSource();
        source.open(URI.create(auth.url()), mirror.fetchTimeoutMs);
        mirror.open(source, dir.resolve("jwks.json"), scheduler);
        return mirror;
    }

    @Test
    void learnsThePublishedKeysAndKeepsACopyOnDisk() throws Exception {
        auth.publish(A);
        KeyMirror mirror = mirror();
        assertTrue(mirror.awaitKey(A.kid()));
        assertTrue(Files.readString(dir.resolve("jwks.json")).contains(A.kid()));
    }

    @Test
    void anUnknownKeyIdFetchesOnceWithinTheRateLimit() {
        auth.publish(A);
        KeyMirror mirror = mirror();
        assertTrue(pollUntilKnown(mirror, A.kid()), "the first poll runs at start");
        auth.publish(A, B);
        int before = auth.requests();
        assertTrue(mirror.awaitKey(B.kid()), "a newly published key is fetched on first sight");
        assertTrue(auth.requests() == before + 1, "one fetch for the new key");
        for (int i = 0; i < 20; i++) {
            assertFalse(mirror.awaitKey("forged-" + i));
        }
        assertTrue(auth.requests() <= before + 1, "unknown key ids within the rate limit fetch nothing more");
    }

    @Test
    void knownKeysSurviveAnOutageAndARestart() {
        auth.publish(A);
        KeyMirror mirror = mirror();
        assertTrue(mirror.awaitKey(A.kid()));
        auth.fail();
        mirror.refresh();
        assertTrue(mirror.knows(A.kid()), "a failed fetch keeps the known keys");

        KeyMirror restarted = mirror();
        assertTrue(restarted.knows(A.kid()), "the copy on disk is known at once, before any fetch");
    }

    @Test
    void aWithdrawnKeyIsForgottenAtTheNextFetch() {
        auth.publish(A, B);
        KeyMirror mirror = mirror();
        assertTrue(mirror.awaitKey(A.kid()));
        auth.publish(B);
        mirror.refresh();
        assertFalse(mirror.knows(A.kid()));
        assertTrue(mirror.knows(B.kid()));
    }

    @Test
    void aHungAuthDelaysOnlyTheFirstKeyAndOnlyUpToTheTimeout() {
        auth.hang();
        KeyMirror mirror = mirror();
        long start = System.nanoTime();
        assertFalse(mirror.awaitKey(A.kid()));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs <= 1000 + 500, "no key known: waits at most the fetch timeout, waited " + waitedMs);

        auth.publish(A);
        mirror.refresh();
        assertTrue(mirror.knows(A.kid()));
        auth.hang();
        start = System.nanoTime();
        assertTrue(mirror.awaitKey(A.kid()), "a known key never waits");
        assertTrue((System.nanoTime() - start) / 1_000_000 < 100);
    }

    private static boolean pollUntilKnown(KeyMirror mirror, String kid) {
        for (int i = 0; i < 50 && !mirror.knows(kid); i++) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return mirror.knows(kid);
    }
}
