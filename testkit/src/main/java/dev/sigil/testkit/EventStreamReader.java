package dev.sigil.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test's view of a server-sent-events stream, read on a thread of its own: the data of each
 * event and each comment line, in order, for the test to wait for. Deliberately plain (one
 * {@code data:} line an event), unlike the client under test.
 */
public final class EventStreamReader implements AutoCloseable {

    /** One item of the stream: an event's data, or a comment's text. */
    public record Item(boolean comment, String text) {}

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;

    private EventStreamReader(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "event-stream-reader");
        reader.setDaemon(true);
        if (response.statusCode() == 200) {
            reader.start();
        }
    }

    /** Opens the stream at {@code url}; the answer's headers must arrive within five seconds. */
    public static EventStreamReader open(String url) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(5))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        try {
            return new EventStreamReader(client.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    /** The whole body of an answer that is not a stream (an error). */
    public String body() throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The next event's data within {@code limit}, skipping comments; null if none came. */
    public String nextEvent(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (long left = limit.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            Item item = items.poll(left, TimeUnit.NANOSECONDS);
            if (item != null && !item.comment()) {
                return item.text();
            }
        }
        return null;
    }

    /** The next item, event or comment, within {@code limit}; null if none came. */
    public Item next(Duration limit) throws InterruptedException {
        return items.poll(limit.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void read() {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith(":")) {
                    items.add(new Item(true, line.substring(1).strip()));
                } else if (line.startsWith("data:")) {
                    items.add(new Item(false, line.substring(5).strip()));
                }
            }
        } catch (IOException closed) {
            // the stream ended
        }
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // closed already
        }
        reader.interrupt();
    }
}
