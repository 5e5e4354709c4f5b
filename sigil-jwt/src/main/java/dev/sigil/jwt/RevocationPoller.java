package dev.sigil.jwt;

import dev.sigil.web.OwnScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks the {@link RevocationSource} for the current revocations every
 * {@code sigil.revocations.poll-ms} (every {@value #FIRST_POLLS_MS} ms until a poll has brought
 * them; one fetch at a time, on one thread) and adds them to the {@link RevocationList}. A
 * failed or refused fetch changes nothing: the revocations known stay in force, every other
 * token stays accepted, and the next answer catches up. Requests never wait for a poll, except
 * a few at a first start, before any poll has brought the revocations ({@link #awaitCurrent}).
 * <p>
 * Unless the source is the service's own store, what the list holds is kept in a
 * {@link RevocationCopy} beside the key copy, loaded at start before the first poll, so a
 * restart during an auth outage forgets no revocation. Polled and pushed revocations alike go
 * through {@link #learn}, which saves a change before the list holds it: a token this process
 * has refused as revoked is refused after a crash too. {@link #current()} says whether the
 * list is as good as this process can know: loaded from a copy, or fetched since start;
 * readiness waits for it.
 */
@ApplicationScoped
public class RevocationPoller {

    private static final Logger LOG = Logger.getLogger(RevocationPoller.class.getName());

    @Inject
    RevocationSource source;

    @Inject
    RevocationList list;

    @Inject
    @ConfigProperty(name = "sigil.revocations.poll-ms", defaultValue = "1000")
    long pollMs;

    /** How often polls come until the revocations are known, if {@code pollMs} is longer. */
    static final long FIRST_POLLS_MS = 100;

    /**
     * How long a service's own store may fail before that is logged: auth's first polls run
     * while its deployment is still finishing, before its transactions work.
     */
    static final long OWN_STORE_START_MS = 10_000;

    /** How many requests may wait for the revocations at once ({@link #awaitCurrent}). */
    static final int WAITING_PLACES = 2;

    private volatile boolean failing;
    private volatile boolean current;
    private volatile long lastPollNanos;
    private volatile long openedNanos;
    private long tickMs;
    private final Semaphore waitingPlaces = new Semaphore(WAITING_PLACES);
    private final Object known = new Object();
    private ScheduledFuture<?> polling;
    private ScheduledExecutorService ownScheduler;
    private RevocationCopy copy;
    private long saved = -1;
    private boolean savingFails;

    void start(@Observes Startup startup) throws NamingException {
        ownScheduler = OwnScheduler.named("revocation-poll");
        open(ownScheduler, RevocationCopy.besideTheKeys());
    }

    /**
     * Loads the copy, then polls; separate from CDI start-up for tests. A source that is the
     * service's own store needs no copy (auth reads its database), so none is read or written.
     */
    synchronized void open(ScheduledExecutorService scheduler, RevocationCopy copy) {
        openedNanos = System.nanoTime();
        if (!source.ownStore()) {
            this.copy = copy;
            copy.load().ifPresent(revocations -> {
                list.add(revocations);
                saved = list.changes();
                current = true;
                LOG.info(() -> revocations.size() + " revocation(s) known at start from " + copy);
            });
        }
        LOG.info(() -> "Revocations polled from " + source.describe() + " every " + pollMs + " ms");
        tickMs = Math.max(1, Math.min(pollMs, FIRST_POLLS_MS));
        polling = scheduler.scheduleWithFixedDelay(this::tick, 0, tickMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Polls at every tick until the revocations are known, then at the first tick at most
     * {@code pollMs} after the previous poll started.
     */
    private void tick() {
        if (!current || System.nanoTime() - lastPollNanos >= TimeUnit.MILLISECONDS.toNanos(pollMs - tickMs)) {
            poll();
        }
    }

    /** Whether the revocations held were fetched since start or loaded from the saved copy. */
    public boolean current() {
        return current;
    }

    /**
     * Whether the revocations are known, waiting up to {@code maxWaitMs} for a poll to bring
     * them if they are not: at a first start, the first requests come about when auth first
     * answers. Only {@value #WAITING_PLACES} callers wait at once; the others, and all of them
     * while auth cannot be reached, get the answer at once or after that wait.
     */
    public boolean awaitCurrent(long maxWaitMs) {
        if (current) {
            return true;
        }
        if (!waitingPlaces.tryAcquire()) {
            return false;
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
            synchronized (known) {
                long left;
                while (!current && (left = deadline - System.nanoTime()) > 0) {
                    known.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waitingPlaces.release();
        }
        return current;
    }

    @PreDestroy
    void stop() {
        if (polling != null) {
            polling.cancel(false);
        }
        if (ownScheduler != null) {
            ownScheduler.shutdownNow();
        }
    }

    /** One fetch; on failure the known revocations stay. */
    void poll() {
        lastPollNanos = System.nanoTime();
        fetch();
        save();
    }

    /**
     * Adds revocations to the list. Once the list is current, a change is saved to the copy
     * first; a save that fails is logged and the revocations apply anyway (refusing is the safe
     * side), and each poll tries the save again.
     */
    public synchronized void learn(List<Revocation> revocations) {
        boolean savedFirst =
                copy != null && current && list.changedBy(revocations) && save(list.entriesWith(revocations));
        list.add(revocations);
        if (savedFirst) {
            saved = list.changes();
        }
    }

    private void fetch() {
        try {
            List<Revocation> fetched = source.fetch();
            learn(fetched);
            list.prune();
            if (!current) {
                synchronized (known) {
                    current = true;
                    known.notifyAll();
                }
            }
            if (failing) {
                failing = false;
                LOG.info(() -> "Revocation source " + source.describe() + " answers again");
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // a throwable escaping here would end the schedule without a word
            list.prune();
            if (!failing && !startingOwnStore()) {
                failing = true;
                LOG.warning(() -> "Cannot fetch revocations from " + source.describe() + " (" + e + "); keeping the "
                        + list.size() + " known until it answers again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether this is the service's own store, not yet answered within its first seconds: no warning yet. */
    private boolean startingOwnStore() {
        return source.ownStore()
                && !current
                && System.nanoTime() - openedNanos < TimeUnit.MILLISECONDS.toNanos(OWN_STORE_START_MS);
    }

    /**
     * Saves the list if it changed since the last save, once it is current: a copy written
     * before any feed was read would make a restart count as current with less than auth's feed.
     * A failure is logged and tried again next time.
     */
    private synchronized void save() {
        long changes = list.changes();
        if (copy != null && current && changes != saved && save(list.entries())) {
            saved = changes;
        }
    }

    /** Writes the copy; false, logged once until a save succeeds again, when it fails. */
    private boolean save(List<Revocation> entries) {
        try {
            copy.save(entries);
            savingFails = false;
            return true;
        } catch (IOException | RuntimeException e) {
            if (!savingFails) {
                savingFails = true;
                LOG.warning(() -> "Cannot save the revocations to " + copy + " (" + e + "); trying again at each poll");
            }
            return false;
        }
    }
}
