package dev.sigil.jwt;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The body of one server-sent-events response, fed to an {@link EventStreamParser} as it
 * arrives, without holding a thread while the stream is quiet. It remembers when the last bytes
 * came, so its owner can tell a stream that went silent (heartbeats stopped: a frozen server or
 * a connection lost without a word) and {@link #cancel} it. Its body completes when the stream
 * ends, fails or is cancelled.
 */
final class EventStreamSubscriber implements HttpResponse.BodySubscriber<Void> {

    private final EventStreamParser parser;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile long lastBytesNanos = System.nanoTime();

    EventStreamSubscriber(EventStreamParser parser) {
        this.parser = parser;
    }

    /** When the last bytes arrived ({@link System#nanoTime()}), or when the request started. */
    long lastBytesNanos() {
        return lastBytesNanos;
    }

    /** Ends the stream: the connection is given up and the body fails with {@code reason}. */
    void cancel(String reason) {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        ended.completeExceptionally(new IOException(reason));
    }

    @Override
    public CompletionStage<Void> getBody() {
        return ended;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (ended.isDone()) {
            subscription.cancel();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        lastBytesNanos = System.nanoTime();
        try {
            for (ByteBuffer buffer : buffers) {
                if (ended.isDone()) {
                    return;
                }
                parser.accept(buffer);
            }
        } catch (IOException | RuntimeException e) {
            cancel("unreadable event stream: " + e.getMessage());
        }
    }

    @Override
    public void onError(Throwable failure) {
        ended.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        ended.complete(null);
    }
}
