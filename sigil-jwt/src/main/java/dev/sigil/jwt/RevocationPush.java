package dev.sigil.jwt;

import dev.sigil.web.OwnScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps a server-sent-events stream from auth open, so a revocation is applied here within
 * milliseconds rather than at the next poll of the {@link RevocationPoller}, which stays as the
 * repair for anything the stream misses. Each event is a revocation feed document, verified
 * with the mirrored keys exactly as a polled one ({@link RevocationFeed#verify}); an event that
 * fails is dropped, never applied; one that verifies is applied as a polled one is
 * ({@link RevocationPoller#learn}: saved to the copy on disk first). One that arrives before
 * any key is known (at a first start, when the stream can answer before the key set does) waits
 * for one key fetch started at once, and is dropped if that brings no key: the poll applies it
 * later. Auth starts every stream with its whole feed, so a stream that reconnects catches up
 * at once.
 * <p>
 * Connecting and the answer's headers are bounded by {@code sigil.keys.fetch-timeout-ms}. Auth
 * sends a heartbeat every few seconds; a stream silent for {@code sigil.revocations.push-idle-seconds}
 * (a frozen auth, a connection lost without a word) is given up. Every end is followed by a new
 * attempt after a delay that doubles from {@value #FIRST_RETRY_MS} ms up to
 * {@code sigil.revocations.push-retry-max-ms}, with jitter, and returns to the start once a
 * verified document arrives. Requests never wait for any of it.
 */
@ApplicationScoped
public class RevocationPush {

    private static final Logger LOG = Logger.getLogger(RevocationPush.class.getName());

    static final long FIRST_RETRY_MS = 100;

    @Inject
    RevocationSource source;

    @Inject
    JwksUrlSource http;

    @Inject
    KeyMirror keys;

    @Inject
    RevocationPoller poller;

    @Inject
    @ConfigProperty(name = "sigil.revocations.push-idle-seconds", defaultValue = "30")
    long idleSeconds;

    @Inject
    @ConfigProperty(name = "sigil.revocations.push-retry-max-ms", defaultValue = "5000")
    long retryMaxMs;

    private URI location;
    private ScheduledExecutorService scheduler;
    private ScheduledExecutorService ownScheduler;
    private ScheduledFuture<?> watching;
    private EventStreamSubscriber current;
    private CompletableFuture<HttpResponse<Void>> exchange;
    private boolean stopped;
    private int failures;
    private boolean receiving;
    private volatile long documents;

    void start(@Observes Startup startup) throws NamingException {
        if (source.pushLocation().isPresent()) {
            ownScheduler = OwnScheduler.named("revocation-push");
            open(source.pushLocation().get(), ownScheduler);
        } else {
            LOG.info(() -> "Revocations are not pushed from " + source.describe() + "; polling alone");
        }
    }

    /** Connects and watches the stream; separate from CDI start-up for tests. */
    synchronized void open(URI location, ScheduledExecutorService scheduler) {
        this.location = location;
        this.scheduler = scheduler;
        LOG.info(() -> "Revocations pushed from " + location);
        long checkMs = Math.max(100, TimeUnit.SECONDS.toMillis(idleSeconds) / 4);
        watching = scheduler.scheduleWithFixedDelay(this::watch, checkMs, checkMs, TimeUnit.MILLISECONDS);
        connect();
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (watching != null) {
            watching.cancel(false);
        }
        if (current != null) {
            current.cancel("stopping");
            exchange.cancel(true);
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    /** How many verified documents have arrived: for tests. */
    long documents() {
        return documents;
    }

    private synchronized void connect() {
        if (stopped) {
            return;
        }
        EventStreamSubscriber subscriber =
                new EventStreamSubscriber(new EventStreamParser(RevocationFeedSource.MAX_BYTES, this::received));
        current = subscriber;
        try {
            exchange = http.open(
                    location,
                    "text/event-stream",
                    info -> info.statusCode() == 200 ? subscriber : HttpResponse.BodySubscribers.replacing(null));
        } catch (RuntimeException refused) { // the client refused to send at all: try again later, as after a failure
            LOG.warning(() -> "Revocation push from " + location + " could not be opened (" + refused
                    + "); trying again, the poll covers meanwhile");
            ended(subscriber, refused.toString());
            return;
        }
        exchange.whenComplete((response, failure) -> ended(
                subscriber,
                failure != null
                        ? failure.toString()
                        : response.statusCode() != 200 ? "HTTP " + response.statusCode() : "the stream ended"));
    }

    /**
     * One event: applied if it is a feed signed with a trusted key, otherwise dropped. Signed with
     * a key the mirror does not know yet, it is applied once a fetch for that key has ended
     * ({@link KeyMirror#fetchFor}).
     */
    private void received(String document) {
        keys.fetchFor(RevocationFeed.keyId(document)).whenComplete((done, failure) -> {
            if (keys.hasKeys()) {
                apply(document);
            } else {
                LOG.info(() ->
                        "A pushed revocation document arrived before any key is known; the poll applies it later");
            }
        });
    }

    private void apply(String document) {
        try {
            poller.learn(RevocationFeed.verify(document, keys.jwks()));
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> "Dropped a pushed revocation document from " + location + ": " + e.getMessage());
            return;
        }
        synchronized (this) {
            documents++;
            failures = 0;
            if (!receiving) {
                receiving = true;
                LOG.info(() -> "Revocation push from " + location + " connected");
            }
        }
    }

    /** The stream of {@code subscriber} ended: unless it was replaced already, try again after a while. */
    private synchronized void ended(EventStreamSubscriber subscriber, String why) {
        if (subscriber != current || stopped) {
            return;
        }
        current.cancel(why);
        current = null;
        if (receiving) {
            receiving = false;
            LOG.warning(() -> "Revocation push from " + location + " lost (" + why
                    + "); reconnecting, the poll covers meanwhile");
        }
        long delay = retryDelayMs(failures++);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** The delay before attempt {@code failures + 1}: doubling up to the maximum, the upper half of it at random. */
    long retryDelayMs(int failures) {
        long full = Math.min(Math.max(FIRST_RETRY_MS, retryMaxMs), FIRST_RETRY_MS << Math.min(failures, 20));
        return full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1);
    }

    /** Gives up a stream that has been silent too long; its end brings the reconnect. */
    private synchronized void watch() {
        if (current != null && System.nanoTime() - current.lastBytesNanos() > TimeUnit.SECONDS.toNanos(idleSeconds)) {
            current.cancel("silent for " + idleSeconds + " s");
            exchange.cancel(true);
        }
    }
}
