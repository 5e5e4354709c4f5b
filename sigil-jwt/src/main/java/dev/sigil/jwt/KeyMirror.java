package dev.sigil.jwt;

import dev.sigil.web.OwnScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps a local copy of the auth service's JWKS, which is what the MicroProfile JWT validator
 * reads (see {@link MirroredKeyLocation}). It exists because Payara's own key fetching has no
 * timeouts, no fallback and no reaction to an unknown key id:
 * <ul>
 * <li>it polls auth every {@code sigil.keys.refresh-seconds} (30), at a fixed rate, so a key
 * auth publishes is accepted, and a key auth withdraws is refused, within that period plus one
 * fetch;</li>
 * <li>fetches run off the request path, one at a time: a fetch asked for while one is running
 * joins it. The {@link KeySource} bounds each fetch ({@link JwksUrlSource}: one deadline for
 * connect, headers and body), so a stalled answer delays no later poll. A failed fetch keeps the
 * keys already known, for as long as auth is away, and the copy on disk keeps them across a
 * restart of this service;</li>
 * <li>a token whose key id is unknown starts a fetch, at most one every
 * {@code sigil.keys.min-refetch-seconds}. Its request waits for the fetch in flight at most
 * {@code sigil.keys.unknown-kid-wait-ms}, and only when the last fetch succeeded and one of
 * {@code sigil.keys.max-waiting-requests} waiting places is free; otherwise it is refused at
 * once. A healthy auth answers within a few milliseconds, so a newly rotated key is still
 * learned on first sight, while a flood of unknown key ids during an outage holds no request
 * thread. Requests with known keys never wait for auth;</li>
 * <li>until a fetch has brought keys since this service started, it asks every second: on a first
 * start before auth answers, so the service is ready (see {@link KeysReadiness}) as soon as auth
 * is; and on a restart, where the copy on disk is known at once but may lack a key rotated in
 * since, so that the current keys arrive within a second of auth answering (auth's own mirror
 * finds its key ring still loading at the first poll), not at the next poll.</li>
 * </ul>
 */
@ApplicationScoped
public class KeyMirror {

    private static final Logger LOG = Logger.getLogger(KeyMirror.class.getName());

    @Inject
    KeySource source;

    @Inject
    @ConfigProperty(name = "sigil.keys.refresh-seconds", defaultValue = "30")
    long refreshSeconds;

    @Inject
    @ConfigProperty(name = "sigil.keys.unknown-kid-wait-ms", defaultValue = "200")
    long unknownKidWaitMs;

    @Inject
    @ConfigProperty(name = "sigil.keys.min-refetch-seconds", defaultValue = "5")
    long minRefetchSeconds;

    /** Request threads that may wait for keys at the same time; the others never wait. */
    @Inject
    @ConfigProperty(name = "sigil.keys.max-waiting-requests", defaultValue = "2")
    int maxWaitingRequests;

    /** The key set, and when each of its keys was first seen (nanoTime). */
    private record Known(KeySet set, Map<String, Long> learnedAt) {}

    private ScheduledExecutorService scheduler;
    private Path file;
    private Semaphore waiting;
    private volatile Known known = new Known(KeySet.NONE, Map.of());
    private volatile boolean failing;
    /** Whether the copy the validator reads is older than the keys known: its write failed. */
    private volatile boolean copyStale;

    private volatile boolean fetchedSinceStart;
    private ScheduledFuture<?> polling;
    private volatile ScheduledFuture<?> firstKeys;
    private ScheduledExecutorService ownScheduler;

    private final Object fetching = new Object();
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private long lastOnDemandNanos;
    private boolean onDemandBefore;

    /**
     * Before the revocation poller and push start (they observe at the default priority, later):
     * their first documents are verified with the keys this fetches.
     */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) Startup startup) throws NamingException {
        ownScheduler = OwnScheduler.named("key-mirror");
        open(source, MirroredKeyLocation.file(), ownScheduler);
    }

    /** Loads the copy on disk and starts polling; separate from CDI start-up for tests. */
    void open(KeySource source, Path file, ScheduledExecutorService scheduler) {
        this.source = source;
        this.file = file;
        this.scheduler = scheduler;
        this.waiting = new Semaphore(Math.max(0, maxWaitingRequests));
        KeySet copy = loadCopy();
        long longAgo = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
        Map<String, Long> learnedAt = new HashMap<>();
        copy.kids().forEach(kid -> learnedAt.put(kid, longAgo));
        known = new Known(copy, Map.copyOf(learnedAt));
        if (!store(copy)) {
            throw new IllegalStateException("Cannot write the key copy " + file);
        }
        LOG.info(() -> "Keys mirrored from " + source.describe() + " to " + file + "; known at start: " + copy.kids());
        polling = scheduler.scheduleAtFixedRate(this::fetch, 0, refreshSeconds, TimeUnit.SECONDS);
        firstKeys = scheduler.scheduleWithFixedDelay(this::fetchUntilAnswered, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (polling != null) {
            polling.cancel(false);
        }
        if (firstKeys != null) {
            firstKeys.cancel(false);
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    public boolean knows(String kid) {
        return kid != null && known.set().kids().contains(kid);
    }

    /** The ids of the keys tokens can be verified with now. */
    public Set<String> kids() {
        return known.set().kids();
    }

    /** The JWKS document known now: what signed documents of auth other than tokens are checked with. */
    public String jwks() {
        return known.set().json();
    }

    public boolean hasKeys() {
        return !known.set().isEmpty();
    }

    /**
     * Whether the key is known, starting a fetch first if it is not and the rate limit allows.
     * Waits as the class documentation says, never longer.
     */
    public boolean awaitKey(String kid) {
        if (knows(kid)) {
            return true;
        }
        CompletableFuture<Void> fetch = fetchOnDemand();
        if (fetch != null && !failing) {
            waitBriefly(() -> fetch.get(unknownKidWaitMs, TimeUnit.MILLISECONDS));
        }
        return knows(kid);
    }

    /**
     * For a signed document of auth's other than a token (the revocation feed, polled or pushed)
     * that names key {@code kid}: a fetch when no key is known at all, or when the key is not
     * known (auth signs with a new key before a poll of this mirror has brought it, as after a
     * key is replaced in an emergency), under the rate limit of fetches for unknown keys.
     * Completed at once when the key is known, the document names none, or the limit forbids a
     * fetch now. Its caller waits on a thread of its own, never a request thread.
     */
    public CompletableFuture<Void> fetchFor(String kid) {
        if (!hasKeys()) {
            return fetch();
        }
        if (kid == null || knows(kid)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> fetch = fetchOnDemand();
        return fetch == null ? CompletableFuture.completedFuture(null) : fetch;
    }

    /**
     * For a token the validator refused: whether to ask it once more, because the token's key
     * arrived so shortly before {@code validatedAtNanos} that the validator, which re-reads the
     * mirror's copy at most every {@code validatorTtlMs}, may not have read it. Then waits until
     * it surely has, holding one of the waiting places. False at once for any other key, and
     * when every waiting place is taken, so a flood of forged tokens right after a key change
     * holds at most those few request threads.
     */
    public boolean awaitValidator(String kid, long validatedAtNanos, long validatorTtlMs) {
        Long learned = known.learnedAt().get(kid);
        if (learned == null) {
            return false;
        }
        long caughtUp = learned + TimeUnit.MILLISECONDS.toNanos(validatorTtlMs + 50);
        if (validatedAtNanos - caughtUp >= 0) {
            return false;
        }
        return waitBriefly(() -> {
            long left = caughtUp - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        });
    }

    private interface Wait {
        void run() throws InterruptedException, ExecutionException, TimeoutException;
    }

    /** Runs the wait if a waiting place is free; whether it did. */
    private boolean waitBriefly(Wait wait) {
        if (!waiting.tryAcquire()) {
            return false;
        }
        try {
            wait.run();
        } catch (TimeoutException | ExecutionException slowOrFailed) {
            // the known keys stay as they are
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting.release();
        }
        return true;
    }

    /** The fetch in flight, a new one, or null when the rate limit forbids one. */
    private CompletableFuture<Void> fetchOnDemand() {
        synchronized (fetching) {
            if (!inFlight.isDone()) {
                return inFlight;
            }
            long now = System.nanoTime();
            if (onDemandBefore && now - lastOnDemandNanos < TimeUnit.SECONDS.toNanos(minRefetchSeconds)) {
                return null;
            }
            onDemandBefore = true;
            lastOnDemandNanos = now;
            return fetch();
        }
    }

    /** The fetch in flight, or a new one: never two at a time. */
    CompletableFuture<Void> fetch() {
        synchronized (fetching) {
            if (inFlight.isDone()) {
                try {
                    inFlight = CompletableFuture.runAsync(this::fetchOnce, scheduler);
                } catch (RejectedExecutionException refused) {
                    // e.g. while the application is still starting. Thrown on, it would end the
                    // periodic task that asked: a scheduled task that throws never runs again.
                    LOG.warning(() -> "A key fetch could not start (" + refused + "); the next poll tries again");
                    inFlight = CompletableFuture.failedFuture(refused);
                }
            }
            return inFlight;
        }
    }

    /** A fetch that starts now, for tests: waits for the one in flight, then for a new one. */
    void refresh() {
        fetch().join();
        fetch().join();
    }

    private void fetchUntilAnswered() {
        if (!fetchedSinceStart || !hasKeys()) {
            fetch();
        } else if (firstKeys != null) {
            firstKeys.cancel(false);
        }
    }

    /** One fetch of the key set; on any failure the known keys stay. */
    private void fetchOnce() {
        try {
            KeySet fetched = source.fetch();
            Known before = known;
            boolean changed = !fetched.json().equals(before.set().json());
            if (changed || copyStale) {
                copyStale = !store(fetched);
            }
            if (changed) {
                // known even when the copy could not be written: the gate then refuses a withdrawn
                // key's tokens, cached or new, which the validator's stale copy would still accept
                long now = System.nanoTime();
                Map<String, Long> learnedAt = new HashMap<>();
                fetched.kids()
                        .forEach(kid -> learnedAt.put(kid, before.learnedAt().getOrDefault(kid, now)));
                known = new Known(fetched, Map.copyOf(learnedAt));
                LOG.info(() -> "Keys changed: " + before.set().kids() + " -> " + fetched.kids());
            }
            fetchedSinceStart = true;
            if (failing) {
                failing = false;
                LOG.info(() -> "Key source " + source.describe() + " answers again");
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warning(() -> "Cannot fetch keys from " + source.describe() + " (" + e + "); keeping the "
                        + known.set().kids().size() + " known key(s) until it answers again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private KeySet loadCopy() {
        if (!Files.exists(file)) {
            return KeySet.NONE;
        }
        try {
            return KeySet.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Ignoring the unreadable key copy " + file, e);
            return KeySet.NONE;
        }
    }

    /**
     * Replaces the copy atomically: the validator reads either the old or the new document.
     * False when it cannot be written, logged once until a write succeeds; each poll tries again.
     */
    private boolean store(KeySet set) {
        try {
            AtomicFile.replace(file, set.json());
            copyStale = false;
            return true;
        } catch (IOException | RuntimeException e) {
            if (!copyStale) {
                LOG.log(
                        Level.WARNING,
                        "Cannot write the key copy " + file + "; until it can, tokens of keys withdrawn since are"
                                + " refused, and so are those of keys added since, which the validator reads from"
                                + " the copy; trying again at each poll",
                        e);
            }
            return false;
        }
    }
}
