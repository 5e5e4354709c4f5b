package dev.sigil.auth.tokens.control;

import dev.sigil.web.ApiException;
import dev.sigil.web.OwnScheduler;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The open server-sent-events streams of {@code GET /auth/revocations/events}, through which
 * validators get each revocation feed document as soon as it exists. Sending runs on a
 * thread of its own ({@link OwnScheduler}), never on the thread of the request that revoked, nor
 * on the server's one shared scheduler thread: a stream whose client stops reading may hold a
 * write until the container gives up on it, and that must not hold back key maintenance or the
 * session purge (the validators' poll covers for a late push). A comment line goes out
 * every {@code auth.revocations.heartbeat-seconds}, so a validator can tell a live stream from
 * a dead one and proxies keep it open; a stream whose write fails is dropped. At most
 * {@code auth.revocations.max-streams} are open at once, since anyone may open one: beyond,
 * a 503 (the validators' poll still works).
 */
@ApplicationScoped
public class RevocationStreams {

    static final String EVENT = "revocations";

    @Inject
    @ConfigProperty(name = "auth.revocations.max-streams", defaultValue = "100")
    int maxStreams;

    @Inject
    @ConfigProperty(name = "auth.revocations.heartbeat-seconds", defaultValue = "10")
    long heartbeatSeconds;

    private final Set<SseEventSink> open = ConcurrentHashMap.newKeySet();
    private volatile Sse sse;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> heartbeats;

    @PostConstruct
    void init() {
        try {
            scheduler = OwnScheduler.named("revocation-streams");
        } catch (NamingException e) {
            throw new IllegalStateException("No managed thread factory for the revocation streams", e);
        }
        heartbeats =
                scheduler.scheduleWithFixedDelay(this::heartbeat, heartbeatSeconds, heartbeatSeconds, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        heartbeats.cancel(false);
        open.forEach(this::drop);
        scheduler.shutdownNow();
    }

    /**
     * Adds a stream and sends it {@code first}, the whole current feed (so a validator that
     * reconnects catches up at once), read after adding: a revocation stored meanwhile reaches
     * it one way or the other.
     *
     * @throws ApiException 503 when as many streams as allowed are open
     */
    public void open(SseEventSink sink, Sse sse, Supplier<String> first) {
        admit(sink, sse);
        OutboundSseEvent feed;
        try {
            feed = event(first.get());
        } catch (RuntimeException e) {
            drop(sink);
            throw e;
        }
        deliver(sink, feed);
    }

    private synchronized void admit(SseEventSink sink, Sse sse) {
        if (open.size() >= maxStreams) {
            throw new ApiException(503, "Too many revocation streams open; poll the feed");
        }
        this.sse = sse;
        open.add(sink);
    }

    /** Sends a feed document to every open stream, from another thread. */
    public void send(String document) {
        if (!open.isEmpty()) {
            OutboundSseEvent event = event(document);
            scheduler.execute(() -> open.forEach(sink -> deliver(sink, event)));
        }
    }

    /** How many streams are open. */
    public int size() {
        return open.size();
    }

    private OutboundSseEvent event(String document) {
        return sse.newEventBuilder().name(EVENT).data(document).build();
    }

    private void heartbeat() {
        Sse current = sse;
        if (current != null && !open.isEmpty()) {
            OutboundSseEvent comment =
                    current.newEventBuilder().comment("heartbeat").build();
            open.forEach(sink -> deliver(sink, comment));
        }
    }

    private void deliver(SseEventSink sink, OutboundSseEvent event) {
        if (sink.isClosed()) {
            drop(sink);
            return;
        }
        try {
            sink.send(event).whenComplete((sent, failure) -> {
                if (failure != null) {
                    drop(sink);
                }
            });
        } catch (RuntimeException gone) {
            drop(sink);
        }
    }

    private void drop(SseEventSink sink) {
        open.remove(sink);
        try {
            sink.close();
        } catch (RuntimeException alreadyGone) {
            // nothing more to do with it
        }
    }
}
