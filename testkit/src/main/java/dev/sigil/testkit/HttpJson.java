package dev.sigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small JSON-over-HTTP client for tests: every call returns a {@link Reply}, whatever the
 * status, so tests assert on 4xx answers as easily as on 200s.
 */
public final class HttpJson {

    private final HttpClient client;
    private final String base;

    /** @param base the service root, for example {@code http://localhost:8080/auth} (no trailing slash) */
    public HttpJson(String base) {
        this(base, HttpClient.Version.HTTP_2);
    }

    /**
     * A client that speaks only the given HTTP version. {@code HTTP_2}, the default, asks the
     * server to upgrade each new connection.
     */
    public HttpJson(String base, HttpClient.Version version) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.client = HttpClient.newBuilder()
                .version(version)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public String base() {
        return base;
    }

    public Reply get(String path, String... headers) {
        return send(request(path, headers).GET());
    }

    public Reply post(String path, String json, String... headers) {
        HttpRequest.Builder request = request(path, headers).POST(HttpRequest.BodyPublishers.ofString(json));
        if (!hasHeader("Content-Type", headers)) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    /** A POST of raw bytes, which need not be valid UTF-8, as {@code application/json}. */
    public Reply post(String path, byte[] body, String... headers) {
        return sendBytes("POST", path, body, headers);
    }

    /** Any method with a body of raw bytes, which need not be valid UTF-8, as {@code application/json}. */
    public Reply sendBytes(String method, String path, byte[] body, String... headers) {
        HttpRequest.Builder request =
                request(path, headers).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (!hasHeader("Content-Type", headers)) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    /** Any method, with an optional body. */
    public Reply send(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = request(path, headers)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !hasHeader("Content-Type", headers)) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    /** The headers for a bearer token. */
    public static String[] bearer(String token) {
        return new String[] {"Authorization", "Bearer " + token};
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return builder;
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean hasHeader(String name, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
