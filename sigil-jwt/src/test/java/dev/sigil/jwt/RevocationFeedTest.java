package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.CapturedLog;
import dev.sigil.testkit.TokenMinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationFeedTest {

    static final TokenMinter AUTH = new TokenMinter("iss", "aud");
    static final TokenMinter STRANGER = new TokenMinter("iss", "aud");
    static final List<Revocation> ENTRIES =
            List.of(Revocation.ofSubject("alice", 1000), Revocation.ofSession("s1", 2000));

    static String feed(TokenMinter signer, String type, List<Revocation> entries) {
        return signer.signed(
                "{\"alg\":\"RS256\",\"typ\":\"" + type + "\",\"kid\":\"" + signer.kid() + "\"}",
                RevocationFeed.payload(entries, 1));
    }

    @Test
    void aFeedSignedByAKnownKeyIsRead() {
        assertEquals(ENTRIES, RevocationFeed.verify(feed(AUTH, RevocationFeed.TYPE, ENTRIES), AUTH.jwks()));
    }

    @Test
    void aFeedSignedByAnotherKeyIsRefused() {
        String forged = feed(STRANGER, RevocationFeed.TYPE, ENTRIES);
        assertThrows(IllegalArgumentException.class, () -> RevocationFeed.verify(forged, AUTH.jwks()));
    }

    @Test
    void aFeedNamingAKnownKeyButSignedByAnotherIsRefused() {
        String payload = RevocationFeed.payload(ENTRIES, 1);
        String header = "{\"alg\":\"RS256\",\"typ\":\"revocations+jwt\",\"kid\":\"" + AUTH.kid() + "\"}";
        String forged = STRANGER.signed(header, payload);
        assertThrows(IllegalArgumentException.class, () -> RevocationFeed.verify(forged, AUTH.jwks()));
    }

    @Test
    void anAccessTokenIsNotAFeed() {
        String token = AUTH.token("alice", "user");
        assertThrows(IllegalArgumentException.class, () -> RevocationFeed.verify(token, AUTH.jwks()));
        // a feed's payload under an access token's type: refused for its type alone
        String typedAsToken = feed(AUTH, "JWT", ENTRIES);
        assertThrows(IllegalArgumentException.class, () -> RevocationFeed.verify(typedAsToken, AUTH.jwks()));
    }

    @Test
    void aTamperedFeedIsRefused() {
        String feed = feed(AUTH, RevocationFeed.TYPE, ENTRIES);
        String tampered = TokenMinter.tampered(feed, "revocations", "[]");
        assertThrows(IllegalArgumentException.class, () -> RevocationFeed.verify(tampered, AUTH.jwks()));
    }

    /**
     * A cut-off that is not a whole number of milliseconds (or beyond a long) is a refused
     * document, as the push and the saved copy expect of any bad one, not an arithmetic error.
     */
    @Test
    void aCutOffThatIsNotWholeMillisecondsIsRefused() {
        for (String before : List.of("1000.5", "1e30")) {
            IllegalArgumentException refused = assertThrows(
                    IllegalArgumentException.class,
                    () -> RevocationFeed.read("{\"revocations\":[{\"sub\":\"alice\",\"before_ms\":" + before + "}]}"));
            assertTrue(refused.getMessage().contains("before_ms"), refused.getMessage());
        }
        assertEquals(
                List.of(Revocation.ofSubject("alice", 1000)),
                RevocationFeed.read("{\"revocations\":[{\"sub\":\"alice\",\"before_ms\":1000}]}"));
    }

    /** The lifetime of the tokens the entries cover travels with them: the longest, or none when one does not say. */
    @Test
    void theTokensLifetimeIsTheLongestOfTheEntriesAndLeftOutWhenOneDoesNotSayIt() {
        List<Revocation> said = List.of(
                Revocation.ofSubject("alice", 1000).ofTokensLiving(300),
                Revocation.ofSession("s1", 2000).ofTokensLiving(3600));
        assertEquals(
                List.of(
                        Revocation.ofSubject("alice", 1000).ofTokensLiving(3600),
                        Revocation.ofSession("s1", 2000).ofTokensLiving(3600)),
                RevocationFeed.verify(feed(AUTH, RevocationFeed.TYPE, said), AUTH.jwks()));
        List<Revocation> oneUnsaid = List.of(Revocation.ofSubject("alice", 1000).ofTokensLiving(300), ENTRIES.get(1));
        assertFalse(RevocationFeed.payload(oneUnsaid, 1).contains("token_lifetime"));
        assertEquals(
                List.of(Revocation.ofSubject("alice", 1000), ENTRIES.get(1)),
                RevocationFeed.verify(feed(AUTH, RevocationFeed.TYPE, oneUnsaid), AUTH.jwks()));
    }

    @Test
    void aTokenLifetimeThatIsNotAPositiveWholeNumberOfSecondsIsRefused() {
        for (String lifetime : List.of("0", "-5", "1.5", "\"300\"", "1e30", "null")) {
            IllegalArgumentException refused = assertThrows(
                    IllegalArgumentException.class,
                    () -> RevocationFeed.read("{\"token_lifetime\":" + lifetime
                            + ",\"revocations\":[{\"sub\":\"alice\",\"before_ms\":1000}]}"));
            assertTrue(refused.getMessage().contains("token_lifetime"), lifetime + ": " + refused.getMessage());
        }
        assertEquals(
                List.of(Revocation.ofSubject("alice", 1000).ofTokensLiving(300)),
                RevocationFeed.read(
                        "{\"token_lifetime\":300,\"revocations\":[{\"sub\":\"alice\",\"before_ms\":1000}]}"));
    }

    /** The poller with a feed source: a refused feed keeps the state known before, a good one adds. */
    @Test
    void aRefusedFeedKeepsThePreviousState() {
        RevocationList list = new RevocationList();
        list.maxLifetimeSeconds = Long.MAX_VALUE / 4000;
        String[] served = {feed(AUTH, RevocationFeed.TYPE, List.of(Revocation.ofSubject("alice", 1000)))};
        RevocationPoller poller = poller(list, () -> {
            try {
                return RevocationFeed.verify(served[0], AUTH.jwks());
            } catch (IllegalArgumentException e) {
                throw new IOException(e);
            }
        });
        poller.poll();
        assertTrue(list.revoked("alice", null, 999));

        served[0] = feed(STRANGER, RevocationFeed.TYPE, List.of(Revocation.ofSubject("bob", 1000)));
        poller.poll();
        assertTrue(list.revoked("alice", null, 999), "the known revocation stays");
        assertFalse(list.revoked("bob", null, 999), "nothing from a stranger's feed");

        served[0] = feed(AUTH, RevocationFeed.TYPE, List.of(Revocation.ofSubject("bob", 1000)));
        poller.poll();
        assertTrue(list.revoked("bob", null, 999), "caught up once auth answers");
        assertTrue(list.revoked("alice", null, 999));
    }

    /**
     * A validator restarted while auth cannot be reached keeps what it knew: the poller saves the
     * list beside the key copy, loads it at start, and counts as current with it.
     */
    @Test
    void aRestartWhileAuthIsUnreachableForgetsNoRevocation(@TempDir Path dir) throws Exception {
        RevocationCopy copy = new RevocationCopy(dir.resolve("revocations-copy.json"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            RevocationList before = new RevocationList();
            before.maxLifetimeSeconds = Long.MAX_VALUE / 4000;
            RevocationPoller first = poller(before, () -> ENTRIES);
            assertFalse(first.current(), "nothing known before the first answer");
            first.open(scheduler, copy);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!(first.current() && Files.exists(dir.resolve("revocations-copy.json")))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(first.current());
            before.add(List.of(Revocation.ofSession("s2", 3000))); // as a push adds
            first.poll();

            RevocationList after = new RevocationList();
            after.maxLifetimeSeconds = Long.MAX_VALUE / 4000;
            RevocationPoller restarted = poller(after, () -> {
                throw new IOException("auth cannot be reached");
            });
            restarted.open(scheduler, copy);
            assertTrue(restarted.current(), "current with the saved copy");
            assertTrue(after.revoked("alice", null, 999));
            assertTrue(after.revoked(null, "s1", 1999));
            assertTrue(after.revoked(null, "s2", 2999), "the pushed one too");
            assertFalse(after.revoked("alice", null, 1000));

            RevocationPoller withoutCopy = poller(new RevocationList(), () -> {
                throw new IOException("auth cannot be reached");
            });
            withoutCopy.open(scheduler, new RevocationCopy(dir.resolve("none.json")));
            withoutCopy.poll();
            assertFalse(withoutCopy.current(), "no copy and no answer: not current");
            assertFalse(
                    Files.exists(dir.resolve("none.json")),
                    "nothing saved before a feed was read, or a restart would count as current with it");
        } finally {
            scheduler.shutdownNow();
            // a save in flight would leave its temporary file in the directory JUnit deletes next
            assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    /**
     * Once the list is current, a revocation learned (pushed, here) is in the copy on disk before
     * the list holds it, so whatever this process refuses, a crash and a restart refuse too; and
     * a save that fails still applies it.
     */
    @Test
    void aLearnedRevocationIsOnDiskBeforeTheListHoldsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("revocations-copy.json");
        RevocationCopy copy = new RevocationCopy(file);
        List<String> added = new ArrayList<>();
        RevocationList list = new RevocationList() {
            @Override
            public void add(Collection<Revocation> revocations) {
                List<Revocation> onDisk = copy.load().orElse(List.of());
                added.add(revocations + (onDisk.containsAll(revocations) ? " on disk" : " not on disk"));
                super.add(revocations);
            }
        };
        list.maxLifetimeSeconds = Long.MAX_VALUE / 4000;
        RevocationPoller poller = poller(list, () -> ENTRIES);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            poller.open(scheduler, copy); // its first poll runs at once on the scheduler, the next in a minute
            assertTrue(poller.awaitCurrent(5000));
            Thread.sleep(100); // the poll's save after the list became current
            added.clear();

            List<Revocation> pushed = List.of(Revocation.ofSession("s2", 3000));
            poller.learn(pushed);
            assertEquals(List.of(pushed + " on disk"), added);
            assertTrue(list.revoked(null, "s2", 2999));

            Files.delete(file);
            Files.createDirectory(file); // no file can replace a directory: every save fails
            List<Revocation> unsaved = List.of(Revocation.ofSubject("bob", 4000));
            poller.learn(unsaved);
            assertTrue(list.revoked("bob", null, 3999), "applied although it could not be saved");
        } finally {
            scheduler.shutdownNow();
            // a save in flight would leave its temporary file in the directory JUnit deletes next
            assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    /**
     * At a first start, until a poll has brought the revocations, polls come every 100 ms
     * whatever the poll interval, and a caller may wait for them: in one of two places, for at
     * most its bound, and it learns of them as soon as they arrive.
     */
    @Test
    void untilTheRevocationsAreKnownPollsComeSoonAndCallersMayWaitForThem(@TempDir Path dir) throws Exception {
        RevocationList list = new RevocationList();
        list.maxLifetimeSeconds = Long.MAX_VALUE / 4000;
        java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        RevocationPoller poller = poller(list, () -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IOException("auth cannot be reached yet");
            }
            return ENTRIES;
        });
        assertFalse(poller.awaitCurrent(50), "nothing known, nothing polled: false after the wait");
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<java.util.concurrent.Future<Long>> waits = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                waits.add(callers.submit(() -> {
                    long start = System.nanoTime();
                    assertTrue(poller.awaitCurrent(5000));
                    return (System.nanoTime() - start) / 1_000_000;
                }));
            }
            Thread.sleep(100);
            long start = System.nanoTime();
            assertFalse(poller.awaitCurrent(5000), "a third caller does not wait");
            assertTrue((System.nanoTime() - start) / 1_000_000 < 1000);

            poller.open(scheduler, new RevocationCopy(dir.resolve("revocations-copy.json")));
            for (java.util.concurrent.Future<Long> wait : waits) {
                long waited = wait.get(5, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(waited < 3000, "learned when the fourth poll, within about 300 ms, brought them: " + waited);
            }
            assertTrue(poller.current());
            assertEquals(4, attempts.get(), "a poll every 100 ms, not every 60 s, until then");
            Thread.sleep(300);
            assertEquals(4, attempts.get(), "then at the poll interval");
            assertTrue(poller.awaitCurrent(0));
        } finally {
            callers.shutdownNow();
            scheduler.shutdownNow();
            // a save in flight would leave its temporary file in the directory JUnit deletes next
            assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    /** Auth reads its revocations from its own database, which a restart keeps: no copy. */
    @Test
    void aPollerOfTheServicesOwnStoreKeepsNoCopy(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("revocations-copy.json");
        new RevocationCopy(file).save(List.of(Revocation.ofSession("s9", 5000)));
        RevocationList list = new RevocationList();
        list.maxLifetimeSeconds = Long.MAX_VALUE / 4000;
        RevocationPoller poller = poller(list, () -> ENTRIES, true);
        byte[] before = Files.readAllBytes(file);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            poller.open(scheduler, new RevocationCopy(file));
            assertFalse(list.revoked(null, "s9", 4999), "a copy is not read");
            poller.poll();
            assertTrue(poller.current(), "current once the store answered");
            assertTrue(list.revoked("alice", null, 999));
            assertArrayEquals(before, Files.readAllBytes(file), "nor written");
        } finally {
            scheduler.shutdownNow();
            // a save in flight would leave its temporary file in the directory JUnit deletes next
            assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    /**
     * Auth's first polls of its own database run while its deployment finishes, and fail: no
     * warning for that, which operators alert on; a feed that fails from the start is warned of.
     */
    @Test
    void theOwnStoreFailingWhileTheServiceStartsIsNoWarning(@TempDir Path dir) throws Exception {
        CapturedLog log = CapturedLog.of(RevocationPoller.class);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            boolean[] ready = {false};
            RevocationList list = new RevocationList();
            RevocationPoller own = poller(
                    list,
                    () -> {
                        if (!ready[0]) {
                            throw new IOException("cannot read the stored revocations");
                        }
                        return ENTRIES;
                    },
                    true);
            own.open(scheduler, new RevocationCopy(dir.resolve("none.json")));
            own.poll();
            assertFalse(own.current());
            ready[0] = true;
            own.poll();
            assertTrue(own.current());
            assertEquals(List.of(), log.messages(Level.WARNING), "the own store's first failures");

            RevocationPoller feed = poller(new RevocationList(), () -> {
                throw new IOException("auth is down");
            });
            feed.open(scheduler, new RevocationCopy(dir.resolve("copy.json"))); // polls at once, on the scheduler
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (log.messages(Level.WARNING).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(300); // further polls, every 100 ms until one succeeds, warn no more
            assertEquals(1, log.messages(Level.WARNING).size(), "a feed that cannot be fetched is warned of at once");
        } finally {
            log.close();
            scheduler.shutdownNow();
            assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
        }
    }

    interface Fetch {
        List<Revocation> fetch() throws IOException;
    }

    static RevocationPoller poller(RevocationList list, Fetch fetch) {
        return poller(list, fetch, false);
    }

    static RevocationPoller poller(RevocationList list, Fetch fetch, boolean ownStore) {
        RevocationPoller poller = new RevocationPoller();
        poller.list = list;
        poller.pollMs = 60_000;
        poller.source = new RevocationSource() {
            @Override
            public List<Revocation> fetch() throws IOException {
                return fetch.fetch();
            }

            @Override
            public boolean ownStore() {
                return ownStore;
            }

            @Override
            public String describe() {
                return "test";
            }
        };
        return poller;
    }

    @Test
    void theFeedIsFoundBesideTheKeySet() {
        assertEquals(
                "https://id.example/auth/revocations",
                RevocationFeedSource.location(
                                null, java.net.URI.create("https://id.example/auth/.well-known/jwks.json"))
                        .toString());
        assertEquals(
                "file:/keys/revocations",
                RevocationFeedSource.location(null, java.net.URI.create("file:/keys/jwks.json"))
                        .toString());
        assertEquals(
                "https://other/feed",
                RevocationFeedSource.location("https://other/feed", java.net.URI.create("file:/keys/jwks.json"))
                        .toString());
    }

    @Test
    void pushesComeFromBelowAnHttpFeedUnlessConfiguredOrOff() {
        java.net.URI feed = java.net.URI.create("https://id.example/auth/revocations");
        assertEquals(
                "https://id.example/auth/revocations/events",
                RevocationFeedSource.pushLocation(null, feed).toString());
        assertEquals(
                null,
                RevocationFeedSource.pushLocation(null, java.net.URI.create("file:/keys/revocations")),
                "a file has no push");
        assertEquals(
                "http://localhost:9/events",
                RevocationFeedSource.pushLocation(" http://localhost:9/events ", feed)
                        .toString());
        assertEquals(null, RevocationFeedSource.pushLocation("none", feed));
    }

    /** A feed source beside the key set in {@code dir}, at the location it derives from it, started. */
    static RevocationFeedSource started(Path dir) {
        RevocationFeedSource source = source(dir.resolve("jwks.json").toUri());
        source.configured = Optional.empty();
        source.configuredPush = Optional.empty();
        source.init();
        return source;
    }

    /** A feed source beside this key set, not yet started. */
    static RevocationFeedSource source(java.net.URI jwks) {
        RevocationFeedSource source = new RevocationFeedSource();
        source.http = new JwksUrlSource();
        source.http.timeoutMs = 1000;
        source.http.open(jwks);
        return source;
    }

    /**
     * At a first start the first poll can come before the key mirror's first fetch: the feed
     * then waits for that fetch instead of being refused for want of a key.
     */
    @Test
    void aFeedReadBeforeAnyKeyIsKnownWaitsForTheFirstKeyFetch(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("revocations"), feed(AUTH, RevocationFeed.TYPE, ENTRIES));
        RevocationFeedSource source = started(dir);
        boolean[] known = {false};
        source.keys = new KeyMirror() {
            @Override
            public boolean hasKeys() {
                return known[0];
            }

            @Override
            public String jwks() {
                return known[0] ? AUTH.jwks() : "{\"keys\":[]}";
            }

            @Override
            java.util.concurrent.CompletableFuture<Void> fetch() {
                return java.util.concurrent.CompletableFuture.runAsync(() -> known[0] = true);
            }
        };
        assertEquals(ENTRIES, source.fetch());
    }

    /**
     * After auth's keys were replaced (a compromised key withdrawn at once), the feed comes signed
     * with a key the mirror learns only at its next poll: the feed fetches it first instead of
     * being refused until then, which would hold every revocation made meanwhile.
     */
    @Test
    void aFeedSignedWithAKeyNotYetKnownWaitsForAFetchOfIt(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("revocations"), feed(STRANGER, RevocationFeed.TYPE, ENTRIES));
        RevocationFeedSource source = started(dir);
        java.util.concurrent.atomic.AtomicInteger fetches = new java.util.concurrent.atomic.AtomicInteger();
        source.keys = new KeyMirror() {
            @Override
            public boolean hasKeys() {
                return true;
            }

            @Override
            public boolean knows(String kid) {
                return AUTH.kid().equals(kid)
                        || (fetches.get() > 0 && STRANGER.kid().equals(kid));
            }

            @Override
            public String jwks() {
                return fetches.get() > 0 ? STRANGER.jwks() : AUTH.jwks();
            }

            @Override
            java.util.concurrent.CompletableFuture<Void> fetch() {
                return java.util.concurrent.CompletableFuture.runAsync(fetches::incrementAndGet);
            }
        };
        assertEquals(ENTRIES, source.fetch());
        assertEquals(1, fetches.get(), "one fetch, for the key the feed names");
        assertEquals(ENTRIES, source.fetch());
        assertEquals(1, fetches.get(), "none once the key is known");
    }

    @Test
    void aFeedOverOneMebibyteIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("revocations");
        Files.writeString(file, feed(AUTH, RevocationFeed.TYPE, ENTRIES) + " ".repeat(RevocationFeedSource.MAX_BYTES));
        RevocationFeedSource source = started(dir);
        assertEquals(file, Path.of(java.net.URI.create(source.describe())), "beside the key set");
        IOException refused = assertThrows(IOException.class, source::fetch);
        assertTrue(refused.getMessage().contains("larger than " + RevocationFeedSource.MAX_BYTES), refused::toString);
    }

    @Test
    void aFeedLocationOverPlainHttpToAnotherHostStopsTheStart() {
        RevocationFeedSource source = source(java.net.URI.create("http://localhost:9/auth/.well-known/jwks.json"));
        source.configured = Optional.of("http://auth.example/auth/revocations");
        source.configuredPush = Optional.of("none");
        IllegalStateException refused = assertThrows(IllegalStateException.class, source::init);
        assertTrue(refused.getMessage().contains("http://auth.example/auth/revocations"), refused::toString);
        source.configured = Optional.of("https://auth.example/auth/revocations");
        source.init();
        assertEquals("https://auth.example/auth/revocations", source.describe());
    }

    @Test
    void aPushLocationOverPlainHttpToAnotherHostStopsTheStart() {
        RevocationFeedSource source = source(java.net.URI.create("http://localhost:9/auth/.well-known/jwks.json"));
        source.configured = Optional.empty();
        source.configuredPush = Optional.of("http://auth.example/auth/revocations/events");
        assertThrows(IllegalStateException.class, source::init);
        source.configuredPush = Optional.empty();
        source.init();
        assertEquals(
                "http://localhost:9/auth/revocations/events",
                source.pushLocation().orElseThrow().toString());
    }
}
