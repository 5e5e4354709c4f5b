package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sigil.testkit.TokenMinter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The push client against a server-sent-events server on loopback that the tests drive. */
class RevocationPushTest {

    static final TokenMinter AUTH = new TokenMinter("iss", "aud");
    static final TokenMinter STRANGER = new TokenMinter("iss", "aud");
    /** The key auth signs with after its keys were replaced, before this mirror has polled it. */
    static final TokenMinter NEXT = new TokenMinter("iss", "aud");

    /** Streams events to every open connection; can cut them all, refuse, or stay silent. */
    static final class EventServer implements AutoCloseable {
        final HttpServer server;
        final ExecutorService threads = Executors.newCachedThreadPool();
        final List<OutputStream> open = new CopyOnWriteArrayList<>();
        final AtomicInteger connections = new AtomicInteger();
        volatile String first;
        volatile int refusals;

        EventServer() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(threads);
            server.createContext("/revocations/events", this::handle);
            server.start();
        }

        URI url() {
            return URI.create("http://localhost:" + server.getAddress().getPort() + "/revocations/events");
        }

        private void handle(HttpExchange exchange) throws IOException {
            connections.incrementAndGet();
            if (refusals > 0) {
                refusals--;
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.flush();
            open.add(body);
            if (first != null) {
                write(body, "event: revocations\ndata: " + first + "\n\n");
            }
        }

        void send(String raw) {
            open.forEach(body -> write(body, raw));
        }

        void cutAll() {
            for (OutputStream body : open) {
                open.remove(body);
                try {
                    body.close();
                } catch (IOException ignored) {
                    // gone already
                }
            }
        }

        private void write(OutputStream body, String raw) {
            try {
                body.write(raw.getBytes(StandardCharsets.UTF_8));
                body.flush();
            } catch (IOException e) {
                open.remove(body);
            }
        }

        @Override
        public void close() {
            cutAll();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    static String document(TokenMinter signer, Revocation... entries) {
        return signer.signed(
                "{\"alg\":\"RS256\",\"typ\":\"revocations+jwt\",\"kid\":\"" + signer.kid() + "\"}",
                RevocationFeed.payload(List.of(entries), 1));
    }

    static String event(String data) {
        return "event: revocations\ndata: " + data + "\n\n";
    }

    EventServer server;
    ScheduledExecutorService scheduler;
    RevocationList list;
    RevocationPush cut;
    volatile boolean keysKnown = true;
    volatile boolean nextKnown;
    final AtomicInteger fetches = new AtomicInteger();
    final CompletableFuture<Void> keyFetch = new CompletableFuture<>();

    @BeforeEach
    void setUp() throws IOException {
        server = new EventServer();
        scheduler = Executors.newScheduledThreadPool(2);
        list = new RevocationList();
        list.maxLifetimeSeconds = 3600;
        cut = new RevocationPush();
        cut.poller = new RevocationPoller();
        cut.poller.list = list;
        cut.keys = new KeyMirror() {
            @Override
            public String jwks() {
                return !keysKnown ? "{\"keys\":[]}" : nextKnown ? NEXT.jwks() : AUTH.jwks();
            }

            @Override
            public boolean hasKeys() {
                return keysKnown;
            }

            @Override
            public boolean knows(String kid) {
                return keysKnown
                        && (AUTH.kid().equals(kid) || (nextKnown && NEXT.kid().equals(kid)));
            }

            @Override
            CompletableFuture<Void> fetch() {
                fetches.incrementAndGet();
                return keyFetch;
            }
        };
        cut.http = new JwksUrlSource();
        cut.http.timeoutMs = 1000;
        cut.http.open(server.url());
        cut.idleSeconds = 30;
        cut.retryMaxMs = 400;
    }

    @AfterEach
    void tearDown() {
        cut.stop();
        server.close();
        scheduler.shutdownNow();
    }

    long now() {
        return System.currentTimeMillis();
    }

    static void await(String what, long ms, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + ms + " ms: " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void theFirstDocumentAndEveryLaterOneAreApplied() throws InterruptedException {
        server.first = document(AUTH, Revocation.ofSubject("alice", now()));
        cut.open(server.url(), scheduler);
        await("alice revoked by the first document", 3000, () -> list.revoked("alice", null, 0));

        server.send(": heartbeat\n\n" + event(document(AUTH, Revocation.ofSession("s1", now()))));
        await("session s1 revoked by a pushed document", 3000, () -> list.revoked(null, "s1", 0));
        assertEquals(1, server.connections.get(), "one stream throughout");
    }

    @Test
    void documentsNotSignedByATrustedKeyAreDropped() throws InterruptedException {
        server.first = document(AUTH);
        cut.open(server.url(), scheduler);
        await("the first document", 3000, () -> cut.documents() == 1);

        String payload = RevocationFeed.payload(List.of(Revocation.ofSubject("mallory", now())), 1);
        server.send(event(document(STRANGER, Revocation.ofSubject("mallory", now()))));
        server.send(event(TokenMinter.base64url("{\"alg\":\"none\",\"typ\":\"revocations+jwt\"}") + "."
                + TokenMinter.base64url(payload) + "."));
        server.send(event(AUTH.token("mallory", "user")));
        server.send(event("not a document at all"));
        server.send(event(document(AUTH, Revocation.ofSubject("bob", now()))));

        await("the signed document after the bad ones", 3000, () -> list.revoked("bob", null, 0));
        assertFalse(list.revoked("mallory", null, 0), "nothing unsigned, forged or of another type applies");
        assertEquals(2, cut.documents());
        assertEquals(1, server.connections.get(), "bad documents are dropped, the stream stays");
    }

    @Test
    void aDocumentBeforeAnyKeyIsKnownWaitsForAKeyFetchAndIsAppliedOnceItBringsKeys() throws InterruptedException {
        keysKnown = false;
        server.first = document(AUTH, Revocation.ofSubject("dave", now()));
        cut.open(server.url(), scheduler);
        assertAppliedOnlyOnceTheFetchBringsItsKey("dave", () -> keysKnown = true);
        assertEquals(1, cut.documents());
    }

    /**
     * A key fetch has started for the document revoking {@code subject}; it is not applied until
     * the fetch ends having brought its key ({@code learn}), then it is, on the one stream.
     */
    void assertAppliedOnlyOnceTheFetchBringsItsKey(String subject, Runnable learn) throws InterruptedException {
        await("a key fetch started by the document", 3000, () -> fetches.get() == 1);
        Thread.sleep(200);
        assertFalse(list.revoked(subject, null, 0), "nothing applied before its key is known");
        learn.run();
        keyFetch.complete(null);
        await("applied once the fetch brought its key", 3000, () -> list.revoked(subject, null, 0));
        assertEquals(1, server.connections.get());
    }

    @Test
    void aDocumentSignedWithAKeyNotYetKnownFetchesItAndIsApplied() throws InterruptedException {
        server.first = document(AUTH);
        cut.open(server.url(), scheduler);
        await("the first document", 3000, () -> cut.documents() == 1);
        server.send(event(document(NEXT, Revocation.ofSubject("frank", now()))));
        assertAppliedOnlyOnceTheFetchBringsItsKey("frank", () -> nextKnown = true);
        assertEquals(2, cut.documents());
    }

    @Test
    void aDocumentBeforeAnyKeyIsKnownIsDroppedIfTheFetchBringsNone() throws InterruptedException {
        keysKnown = false;
        server.first = document(AUTH, Revocation.ofSubject("dave", now()));
        cut.open(server.url(), scheduler);
        await("a key fetch started by the document", 3000, () -> fetches.get() == 1);
        keyFetch.complete(null);
        Thread.sleep(300);
        assertFalse(list.revoked("dave", null, 0));
        assertEquals(0, cut.documents());
        keysKnown = true;
        server.send(event(document(AUTH, Revocation.ofSubject("erin", now()))));
        await("a later document applied once keys are known", 3000, () -> list.revoked("erin", null, 0));
        assertEquals(1, cut.documents());
        assertEquals(1, fetches.get(), "no fetch while keys are known");
    }

    @Test
    void aCutStreamIsReopenedAndCatchesUpWithTheFirstDocument() throws InterruptedException {
        server.first = document(AUTH);
        server.refusals = 2;
        cut.open(server.url(), scheduler);
        await("connected after two refusals", 3000, () -> cut.documents() == 1);

        server.first = document(AUTH, Revocation.ofSubject("carol", now()));
        server.cutAll();
        await(
                "carol, revoked while the stream was cut, arrives with the reconnect",
                3000,
                () -> list.revoked("carol", null, 0));
        assertEquals(4, server.connections.get());
    }

    /** A client that refuses to send at all (closed, say) is tried again like a refused stream, not given up. */
    @Test
    void aStreamTheClientCannotOpenIsTriedAgain() throws InterruptedException {
        AtomicInteger refusals = new AtomicInteger(2);
        JwksUrlSource working = cut.http;
        cut.http = new JwksUrlSource() {
            @Override
            public CompletableFuture<HttpResponse<Void>> open(
                    URI location, String accept, HttpResponse.BodyHandler<Void> body) {
                if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("the client is closed");
                }
                return working.open(location, accept, body);
            }
        };
        server.first = document(AUTH, Revocation.ofSubject("dave", now()));
        cut.open(server.url(), scheduler);
        await("connected after two refusals of the client", 3000, () -> cut.documents() == 1);
        assertTrue(list.revoked("dave", null, 0));
    }

    @Test
    void aSilentStreamIsGivenUpAndHeartbeatsKeepOneOpen() throws InterruptedException {
        cut.idleSeconds = 1;
        cut.open(server.url(), scheduler);
        await("a new connection after a second of silence", 4000, () -> server.connections.get() >= 2);

        server.first = document(AUTH);
        await("connected", 4000, () -> cut.documents() >= 1);
        int before = server.connections.get();
        for (int i = 0; i < 12; i++) {
            server.send(": heartbeat\n\n");
            Thread.sleep(200);
        }
        assertEquals(before, server.connections.get(), "heartbeats keep the stream");
    }

    @Test
    void retriesWaitLongerEachTimeUpToTheMaximum() {
        cut.retryMaxMs = 5000;
        for (int i = 0; i < 50; i++) {
            long first = cut.retryDelayMs(0);
            long fourth = cut.retryDelayMs(3);
            long late = cut.retryDelayMs(30);
            assertTrue(first >= 50 && first <= 100, "first " + first);
            assertTrue(fourth >= 400 && fourth <= 800, "fourth " + fourth);
            assertTrue(late >= 2500 && late <= 5000, "late " + late);
        }
    }
}
