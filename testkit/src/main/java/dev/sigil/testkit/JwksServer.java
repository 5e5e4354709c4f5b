package dev.sigil.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A stand-in for the auth service's JWKS endpoint on loopback, which tests can make publish
 * other keys, fail, hang (accept the request and never answer), stall (send the headers and
 * half the body, then nothing) or pad its answer to any size, and which counts the requests it
 * gets. Beside it, where business looks for auth's revocation feed, it always answers with a
 * feed that revokes nothing, signed with the first key published: a validator refuses every
 * token until it has read one.
 */
public final class JwksServer implements AutoCloseable {

    private enum Mode {
        SERVE,
        FAIL,
        HANG,
        STALL,
        PAD
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String jwks = "{\"keys\":[]}";
    private volatile TokenMinter feedSigner;
    private volatile Mode mode = Mode.SERVE;
    private volatile CountDownLatch hung = new CountDownLatch(1);
    private volatile int paddedBytes;

    public JwksServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/jwks.json", this::handle);
        server.createContext("/revocations", this::feed);
        server.start();
    }

    /** The JWKS URL. */
    public String url() {
        return "http://localhost:" + server.getAddress().getPort() + "/jwks.json";
    }

    /** Publishes the public keys of these minters from now on, and answers again. */
    public JwksServer publish(TokenMinter... minters) {
        jwks = "{\"keys\":[" + List.of(minters).stream().map(TokenMinter::jwk).collect(Collectors.joining(",")) + "]}";
        feedSigner = minters.length > 0 ? minters[0] : feedSigner;
        answer();
        return this;
    }

    /** Answers every request with HTTP 500 from now on. */
    public void fail() {
        mode = Mode.FAIL;
    }

    /** Accepts every request and never answers it, until {@link #answer()}. */
    public void hang() {
        hung = new CountDownLatch(1);
        mode = Mode.HANG;
    }

    /**
     * Sends the status, the headers (with the full {@code Content-Length}) and the first half of
     * the published keys, then nothing more until {@link #answer()}.
     */
    public void stall() {
        hung = new CountDownLatch(1);
        mode = Mode.STALL;
    }

    /**
     * Answers with the published keys followed by whitespace, {@code bytes} in all (still a
     * valid JWKS), sent in chunks without a {@code Content-Length}.
     */
    public void padTo(int bytes) {
        paddedBytes = bytes;
        mode = Mode.PAD;
    }

    /** Answers normally again, releasing hung and stalled requests. */
    public void answer() {
        mode = Mode.SERVE;
        hung.countDown();
    }

    public int requests() {
        return requests.get();
    }

    /** The revocation feed, as auth signs it, with nothing revoked; 404 before any key is published. */
    private void feed(HttpExchange exchange) throws IOException {
        try (exchange) {
            TokenMinter signer = feedSigner;
            if (signer == null || !exchange.getRequestURI().getPath().equals("/revocations")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = signer.signed(
                            "{\"alg\":\"RS256\",\"typ\":\"revocations+jwt\",\"kid\":\"" + signer.kid() + "\"}",
                            "{\"iat\":" + System.currentTimeMillis() / 1000 + ",\"revocations\":[]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/jwt");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        try (exchange) {
            Mode now = mode;
            if (now == Mode.HANG) {
                awaitAnswer();
            }
            if (now == Mode.FAIL) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            byte[] body = jwks.getBytes(StandardCharsets.UTF_8);
            if (now == Mode.PAD) {
                body = (jwks + " ".repeat(Math.max(0, paddedBytes - body.length))).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "public, max-age=60");
            exchange.sendResponseHeaders(200, now == Mode.PAD ? 0 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (now == Mode.STALL) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    awaitAnswer();
                    out.write(body, body.length / 2, body.length - body.length / 2);
                } else {
                    out.write(body);
                }
            } catch (IOException clientGone) {
                // the client gave up on a stalled answer
            }
        }
    }

    private void awaitAnswer() {
        try {
            hung.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        hung.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
