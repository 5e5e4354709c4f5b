package dev.sigil.jwt;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps a local copy of the auth service's JWKS, which is what the MicroProfile JWT validator
 * reads (see {@link MirroredKeyLocation}). It exists because Payara's own key fetching has no
 * timeouts, no fallback and no reaction to an unknown key id:
 * <ul>
 * <li>it polls auth every {@code sigil.keys.refresh-seconds} (30), so a key auth publishes is
 * accepted, and a key auth withdraws is refused, within that period plus one fetch;</li>
 * <li>every fetch of the {@link KeySource} is bounded by {@code sigil.keys.fetch-timeout-ms}
 * (3000) and runs off the request path; a failed fetch keeps the keys already known, for as long as auth is away, and
 * the copy on disk keeps them across a restart of this service;</li>
 * <li>a token whose key id is unknown triggers an immediate fetch, at most one every
 * {@code sigil.keys.min-refetch-seconds} (5). Its request waits for that fetch at most
 * {@code sigil.keys.unknown-kid-wait-ms} (500), or the full fetch timeout while no key at all
 * is known. Requests with known keys never wait for auth.</li>
 * <li>while no key at all is known (a first start before auth answers), it asks every second,
 * so the service is ready (see {@link KeysReadiness}) as soon as auth is.</li>
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
    @ConfigProperty(name = "sigil.keys.fetch-timeout-ms", defaultValue = "3000")
    long fetchTimeoutMs;

    @Inject
    @ConfigProperty(name = "sigil.keys.unknown-kid-wait-ms", defaultValue = "500")
    long unknownKidWaitMs;

    @Inject
    @ConfigProperty(name = "sigil.keys.min-refetch-seconds", defaultValue = "5")
    long minRefetchSeconds;

    private ScheduledExecutorService scheduler;
    private Path file;
    private volatile KeySet keys = KeySet.NONE;
    private volatile boolean failing;
    private volatile long learnedAtNanos = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
    private ScheduledFuture<?> polling;
    private volatile ScheduledFuture<?> firstKeys;

    private final Object onDemand = new Object();
    private CompletableFuture<Void> inFlight = CompletableFuture.completedFuture(null);
    private long lastOnDemandNanos;
    private boolean onDemandBefore;

    void start(@Observes Startup startup) throws NamingException {
        ManagedScheduledExecutorService scheduler = InitialContext.doLookup("java:comp/DefaultManagedScheduledExecutorService");
        open(source, MirroredKeyLocation.file(), scheduler);
    }

    /** Loads the copy on disk and starts polling; separate from CDI start-up for tests. */
    void open(KeySource source, Path file, ScheduledExecutorService scheduler) {
        this.source = source;
        this.file = file;
        this.scheduler = scheduler;
        keys = loadCopy();
        store(keys);
        LOG.info(() -> "Keys mirrored from " + source.describe() + " to " + file + "; known at start: " + keys.kids());
        polling = scheduler.scheduleWithFixedDelay(this::refresh, 0, refreshSeconds, TimeUnit.SECONDS);
        firstKeys = scheduler.scheduleWithFixedDelay(this::refreshWhileEmpty, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (polling != null) {
            polling.cancel(false);
        }
        if (firstKeys != null) {
            firstKeys.cancel(false);
        }
    }

    public boolean knows(String kid) {
        return kid != null && keys.kids().contains(kid);
    }

    /** Whether the key set changed within the last {@code ms} milliseconds. */
    public boolean learnedRecently(long ms) {
        return System.nanoTime() - learnedAtNanos < TimeUnit.MILLISECONDS.toNanos(ms);
    }

    /** The ids of the keys tokens can be verified with now. */
    public Set<String> kids() {
        return keys.kids();
    }

    public boolean hasKeys() {
        return !keys.isEmpty();
    }

    /**
     * Whether the key is known, fetching the key set first if it is not and the rate limit
     * allows. Waits as the class documentation says, never longer.
     */
    public boolean awaitKey(String kid) {
        if (knows(kid)) {
            return true;
        }
        long waitMs = hasKeys() ? unknownKidWaitMs : fetchTimeoutMs;
        CompletableFuture<Void> fetch = fetchOnDemand();
        if (fetch != null) {
            try {
                fetch.get(waitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException slowOrFailed) {
                // the known keys stay as they are
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return knows(kid);
    }

    /** The fetch in flight, a new one, or null when the rate limit forbids one. */
    private CompletableFuture<Void> fetchOnDemand() {
        synchronized (onDemand) {
            if (!inFlight.isDone()) {
                return inFlight;
            }
            long now = System.nanoTime();
            if (onDemandBefore && now - lastOnDemandNanos < TimeUnit.SECONDS.toNanos(minRefetchSeconds)) {
                return null;
            }
            onDemandBefore = true;
            lastOnDemandNanos = now;
            inFlight = CompletableFuture.runAsync(this::refresh, scheduler);
            return inFlight;
        }
    }

    private void refreshWhileEmpty() {
        if (!hasKeys()) {
            refresh();
        } else if (firstKeys != null) {
            firstKeys.cancel(false);
        }
    }

    /** One fetch of the key set; on any failure the known keys stay. */
    synchronized void refresh() {
        try {
            KeySet fetched = source.fetch();
            if (failing) {
                failing = false;
                LOG.info(() -> "Key source " + source.describe() + " answers again");
            }
            if (!fetched.json().equals(keys.json())) {
                store(fetched);
                KeySet before = keys;
                keys = fetched;
                learnedAtNanos = System.nanoTime();
                LOG.info(() -> "Keys changed: " + before.kids() + " -> " + fetched.kids());
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warning(() -> "Cannot fetch keys from " + source.describe() + " (" + e + "); keeping the "
                        + keys.kids().size() + " known key(s) until it answers again");
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

    /** Replaces the copy atomically: the validator reads either the old or the new document. */
    private void store(KeySet set) {
        try {
            Files.createDirectories(file.getParent());
            Path next = Files.createTempFile(file.getParent(), "jwks", ".tmp");
            Files.writeString(next, set.json(), StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write the key copy " + file, e);
        }
    }
}
