package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sigil.testkit.CapturedLog;
import dev.sigil.testkit.JwksServer;
import dev.sigil.testkit.TokenMinter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwksUrlSourceTest {

    static final TokenMinter A = new TokenMinter("iss", "aud");
    static final long TIMEOUT_MS = 1000;

    final JwksServer auth = new JwksServer();

    @AfterEach
    void close() {
        auth.close();
    }

    JwksUrlSource source(String url) {
        JwksUrlSource cut = new JwksUrlSource();
        cut.timeoutMs = TIMEOUT_MS;
        cut.open(URI.create(url));
        return cut;
    }

    @Test
    void oneDeadlineCoversTheHeadersAndTheBody() {
        // the JDK's own request timeout ends once the headers are in (on a second exchange at least)
        auth.publish(A);
        JwksUrlSource cut = source(auth.url());
        assertDoesNotThrow(() -> cut.fetch(), "a first answer opens a connection, as in service");
        auth.stall();
        assertFetchEndsAtTheDeadline(cut, "headers and half the body, then nothing");
        auth.hang();
        assertFetchEndsAtTheDeadline(cut, "no headers");
        auth.answer();
        assertDoesNotThrow(() -> cut.fetch(), "answers again at the next fetch");
    }

    @Test
    void oneDeadlineCoversAConnectionNeverAccepted() throws IOException {
        // a listener whose queue of connections is full: Linux drops further connection requests,
        // so connecting to it neither succeeds nor fails
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> queued = new ArrayList<>();
            try {
                SocketTimeoutException stalled = null;
                while (stalled == null && queued.size() < 8) {
                    Socket socket = new Socket();
                    queued.add(socket);
                    try {
                        socket.connect(full.getLocalSocketAddress(), 300);
                    } catch (SocketTimeoutException e) {
                        stalled = e;
                    }
                }
                assertTrue(stalled != null, "connecting stalls once the queue is full");
                assertFetchEndsAtTheDeadline(
                        source("http://127.0.0.1:" + full.getLocalPort() + "/jwks.json"),
                        "a connection never accepted");
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    private static void assertFetchEndsAtTheDeadline(JwksUrlSource cut, String what) {
        long start = System.nanoTime();
        assertThrows(IOException.class, cut::fetch, what);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= TIMEOUT_MS - 50 && ms < TIMEOUT_MS + 400, what + ": the fetch ended after " + ms + " ms");
    }

    @Test
    void anAnswerOverSixtyFourKibibytesIsRefused() throws Exception {
        auth.publish(A);
        JwksUrlSource cut = source(auth.url());
        auth.padTo(JwksUrlSource.MAX_BYTES);
        assertEquals(Set.of(A.kid()), cut.fetch().kids(), "exactly 64 KiB is read");
        auth.padTo(JwksUrlSource.MAX_BYTES + 1);
        IOException refused = assertThrows(IOException.class, cut::fetch);
        assertTrue(refused.getMessage().contains("larger than"), refused::toString);
    }

    @Test
    void aFileOverSixtyFourKibibytesIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, A.jwks() + " ".repeat(JwksUrlSource.MAX_BYTES));
        assertThrows(IOException.class, () -> source(file.toUri().toString()).fetch());
        Files.writeString(file, A.jwks());
        assertEquals(Set.of(A.kid()), source(file.toUri().toString()).fetch().kids());
    }

    @Test
    void plainHttpIsRefusedAtStartUnlessTheHostIsLoopback() {
        for (String refused : new String[] {
            "http://auth.example.com/auth/.well-known/jwks.json",
            "http://10.0.0.7:8080/jwks.json",
            "http://localhost.example.com/jwks.json",
            "http://128.0.0.1/jwks.json",
            "http://[::2]/jwks.json"
        }) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> source(refused), refused);
            assertTrue(
                    e.getMessage().contains("plain http") && e.getMessage().contains("sigil.keys.allow-insecure=true"),
                    e::getMessage);
        }
        for (String accepted : new String[] {
            "https://auth.example.com/auth/.well-known/jwks.json",
            "http://localhost:8080/jwks.json",
            "http://LOCALHOST/jwks.json",
            "http://127.0.0.1:8080/jwks.json",
            "http://127.20.30.40/jwks.json",
            "http://[::1]:8080/jwks.json",
            "file:/etc/sigil/jwks.json"
        }) {
            assertDoesNotThrow(() -> source(accepted), accepted);
        }
        assertThrows(IllegalStateException.class, () -> source("ftp://auth.example.com/jwks.json"));
    }

    @Test
    void allowInsecureAcceptsPlainHttpAnywhereAndWarns() {
        JwksUrlSource cut = new JwksUrlSource();
        cut.timeoutMs = TIMEOUT_MS;
        cut.allowInsecure = true;
        try (CapturedLog log = CapturedLog.of(JwksUrlSource.class)) {
            assertDoesNotThrow(() -> cut.open(URI.create("http://auth.example.com/jwks.json")));
            assertTrue(
                    log.messages(Level.WARNING).stream()
                            .anyMatch(message -> message.contains("plain http from http://auth.example.com/jwks.json")),
                    "start-up warns");
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws IOException {
        auth.publish(A);
        HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        redirecting.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", auth.url());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirecting.start();
        try {
            JwksUrlSource cut =
                    source("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/jwks.json");
            IOException refused = assertThrows(IOException.class, cut::fetch);
            assertTrue(refused.getMessage().contains("302"), refused::toString);
            assertEquals(0, auth.requests(), "the location it names was never asked");
        } finally {
            redirecting.stop(0);
        }
    }

    @Test
    void loopbackIsDecidedFromTheNameAlone() {
        assertTrue(JwksUrlSource.isLoopback("127.0.0.1"));
        assertTrue(JwksUrlSource.isLoopback("[0:0:0:0:0:0:0:1]"));
        assertFalse(JwksUrlSource.isLoopback("127.0.0.1.example.com"));
        assertFalse(JwksUrlSource.isLoopback("0x7f.0.0.1"));
        assertFalse(JwksUrlSource.isLoopback(null));
    }
}
