package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.JwksServer;
import dev.sigil.testkit.TokenMinter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyMirrorTest {

    static final TokenMinter A = new TokenMinter("iss", "aud");
    static final TokenMinter B = new TokenMinter("iss", "aud");
    static final long WAIT_MS = 300;
    static final long FETCH_TIMEOUT_MS = 1000;
    static final int WAITING = 2;

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
        return mirror(3600, FETCH_TIMEOUT_MS);
    }

    KeyMirror mirror(long refreshSeconds, long fetchTimeoutMs) {
        return mirror(refreshSeconds, fetchTimeoutMs, scheduler);
    }

    KeyMirror mirror(long refreshSeconds, long fetchTimeoutMs, ScheduledExecutorService scheduler) {
        KeyMirror mirror = new KeyMirror();
        mirror.refreshSeconds = refreshSeconds;
        mirror.unknownKidWaitMs = WAIT_MS;
        mirror.minRefetchSeconds = 2;
        mirror.maxWaitingRequests = WAITING;
        JwksUrlSource source = new JwksUrlSource();
        source.timeoutMs = fetchTimeoutMs;
        source.open(URI.create(auth.url()));
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
    void aDocumentSignedWithAKeyNotYetKnownFetchesItOnceWithinTheRateLimit() throws Exception {
        auth.publish(A);
        KeyMirror mirror = mirror();
        assertTrue(pollUntilKnown(mirror, A.kid()), "the first poll runs at start");
        int before = auth.requests();
        mirror.fetchFor(A.kid()).get(2, TimeUnit.SECONDS);
        mirror.fetchFor(null).get(2, TimeUnit.SECONDS);
        assertEquals(before, auth.requests(), "a known key, or none named, fetches nothing");
        auth.publish(A, B);
        mirror.fetchFor(B.kid()).get(2, TimeUnit.SECONDS);
        assertTrue(mirror.knows(B.kid()), "the new key is known once the fetch has ended");
        assertEquals(before + 1, auth.requests());
        for (int i = 0; i < 20; i++) {
            mirror.fetchFor("forged-" + i).get(2, TimeUnit.SECONDS);
        }
        assertEquals(before + 1, auth.requests(), "unknown key ids within the rate limit fetch nothing more");
    }

    @Test
    void aCopyThatCannotBeWrittenLeavesNoTemporaryFiles() throws IOException {
        auth.publish(A);
        KeyMirror mirror = mirror();
        assertTrue(mirror.awaitKey(A.kid()));
        Path copy = dir.resolve("jwks.json");
        Files.delete(copy);
        Files.createDirectories(copy.resolve("in-the-way")); // a move cannot replace it
        auth.publish(A, B);
        for (int i = 0; i < 3; i++) {
            mirror.refresh();
        }
        assertTrue(mirror.knows(A.kid()), "the known keys stay");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(copy), files.toList(), "no temporary file left behind");
        }
    }

    /**
     * A key withdrawn while the copy cannot be written (a full disk) is no longer known, so the
     * gate refuses its tokens, cached or not, though the validator's stale copy still holds it;
     * the copy is written at the first poll that can.
     */
    @Test
    void aKeyWithdrawnWhileTheCopyCannotBeWrittenIsRefusedAndTheCopyCatchesUp() throws IOException {
        auth.publish(A, B);
        KeyMirror mirror = mirror();
        assertTrue(mirror.awaitKey(B.kid()));
        Path copy = dir.resolve("jwks.json");
        Files.delete(copy);
        Files.createDirectories(copy.resolve("in-the-way"));
        auth.publish(B);
        mirror.refresh();
        assertFalse(mirror.knows(A.kid()), "withdrawn, though the copy still could not be written");
        assertTrue(mirror.knows(B.kid()));
        Files.delete(copy.resolve("in-the-way"));
        Files.delete(copy);
        mirror.refresh();
        assertEquals(Set.of(B.kid()), KeySet.parse(Files.readString(copy)).kids(), "written once it can be");
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
    void aRestartWhoseFirstFetchFailsKeepsAskingUntilAnAnswer() {
        auth.publish(A);
        assertTrue(mirror().awaitKey(A.kid()));
        auth.fail();
        KeyMirror restarted = mirror(); // polls once an hour: only the retries can learn B
        assertTrue(restarted.knows(A.kid()), "the copy on disk is known at once");
        pause(300); // the first poll, at start, has failed
        auth.publish(A, B);
        assertTrue(pollUntilKnown(restarted, B.kid()), "a key rotated in while this service was away arrives");
        int requests = auth.requests();
        pause(2500);
        assertEquals(requests, auth.requests(), "no more retries once a fetch has succeeded");
    }

    @Test
    void aFetchTheSchedulerRefusesEndsNeitherThePollNorTheRetries() {
        auth.publish(A);
        AtomicInteger refusals = new AtomicInteger(2); // the poll at start and the first retry
        ScheduledThreadPoolExecutor refusing = new ScheduledThreadPoolExecutor(2) {
            @Override
            public void execute(Runnable command) {
                if (refusals.getAndDecrement() > 0) {
                    throw new RejectedExecutionException("the application is still starting");
                }
                super.execute(command);
            }
        };
        try {
            KeyMirror mirror = mirror(3600, FETCH_TIMEOUT_MS, refusing);
            assertTrue(pollUntilKnown(mirror, A.kid()), "a later retry fetched the keys");
            assertTrue(refusals.get() < 0, "both refusals happened first");
        } finally {
            refusing.shutdownNow();
        }
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
    void anUnknownKeyWaitsBrieflyAndNotAtAllOnceAFetchFailed() {
        auth.hang();
        KeyMirror mirror = mirror();
        long waitedMs = timed(() -> assertFalse(mirror.awaitKey(A.kid())));
        assertTrue(
                waitedMs <= WAIT_MS + 200,
                "no key known, auth hangs: waits at most " + WAIT_MS + " ms, waited " + waitedMs);
        pause(FETCH_TIMEOUT_MS + 200);
        waitedMs = timed(() -> assertFalse(mirror.awaitKey(A.kid())));
        assertTrue(waitedMs < 100, "the last fetch failed: no wait at all, waited " + waitedMs);

        auth.publish(A);
        mirror.refresh();
        assertTrue(mirror.knows(A.kid()));
        auth.hang();
        assertTrue(timed(() -> assertTrue(mirror.awaitKey(A.kid()), "a known key never waits")) < 100);
    }

    @Test
    void aFloodOfUnknownKeyIdsWhileAuthHangsHoldsAtMostTheWaitingPlaces() throws Exception {
        auth.publish(A);
        KeyMirror mirror = mirror();
        // a long wait, so a thread that waited stands apart from one the scheduler merely delayed
        long waitMs = 1500;
        mirror.unknownKidWaitMs = waitMs;
        assertTrue(pollUntilKnown(mirror, A.kid()));
        auth.hang();
        int requests = 200;
        ExecutorService threads = Executors.newFixedThreadPool(requests);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> waits = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                String kid = "forged-" + i;
                waits.add(threads.submit(() -> {
                    go.await();
                    return timed(() -> assertFalse(mirror.awaitKey(kid)));
                }));
            }
            go.countDown();
            int waited = 0;
            for (Future<Long> wait : waits) {
                waited += wait.get() >= waitMs / 2 ? 1 : 0;
            }
            assertTrue(waited <= WAITING, waited + " of " + requests + " requests waited for the hung fetch");
            assertTrue(mirror.awaitKey(A.kid()), "known keys stay");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aStalledAnswerKeepsTheKnownKeysAndDelaysNoPoll() {
        auth.publish(A);
        KeyMirror mirror = mirror(1, 400);
        assertTrue(pollUntilKnown(mirror, A.kid()));
        auth.publish(A, B);
        auth.stall();
        int before = auth.requests();
        pause(3500);
        assertTrue(
                auth.requests() - before >= 3,
                "a poll each second despite stalled answers: " + (auth.requests() - before));
        assertTrue(mirror.knows(A.kid()), "the known key stays");
        assertFalse(mirror.knows(B.kid()), "half a key set is no key set");
        auth.answer();
        assertTrue(pollUntilKnown(mirror, B.kid()), "the next poll after the stall learns the new key");
    }

    @Test
    void anOversizedAnswerKeepsTheKnownKeys() {
        auth.publish(A);
        KeyMirror mirror = mirror();
        assertTrue(pollUntilKnown(mirror, A.kid()));
        auth.publish(A, B);
        auth.padTo(JwksUrlSource.MAX_BYTES + 1);
        mirror.refresh();
        assertTrue(mirror.knows(A.kid()));
        assertFalse(mirror.knows(B.kid()), "a valid key set, but too large");
        auth.publish(A, B);
        mirror.refresh();
        assertTrue(mirror.knows(B.kid()));
    }

    private static long timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean pollUntilKnown(KeyMirror mirror, String kid) {
        for (int i = 0; i < 50 && !mirror.knows(kid); i++) {
            pause(100);
        }
        return mirror.knows(kid);
    }
}
