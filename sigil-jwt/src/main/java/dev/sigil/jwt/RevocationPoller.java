package dev.sigil.jwt;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Asks the {@link RevocationSource} for the current revocations every
 * {@code sigil.revocations.poll-ms} (after the previous answer, so at most one fetch at a time)
 * and adds them to the {@link RevocationList}. A failed or refused fetch changes nothing: the
 * revocations known stay in force, every other token stays accepted, and the next answer
 * catches up. Requests never wait for it.
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

    private volatile boolean failing;
    private ScheduledFuture<?> polling;

    void start(@Observes Startup startup) throws NamingException {
        ManagedScheduledExecutorService scheduler =
                InitialContext.doLookup("java:comp/DefaultManagedScheduledExecutorService");
        open(scheduler);
    }

    void open(ScheduledExecutorService scheduler) {
        LOG.info(() -> "Revocations polled from " + source.describe() + " every " + pollMs + " ms");
        polling = scheduler.scheduleWithFixedDelay(this::poll, 0, Math.max(1, pollMs), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (polling != null) {
            polling.cancel(false);
        }
    }

    /** One fetch; on failure the known revocations stay. */
    void poll() {
        try {
            List<Revocation> current = source.fetch();
            list.add(current);
            list.prune();
            if (failing) {
                failing = false;
                LOG.info(() -> "Revocation source " + source.describe() + " answers again");
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            // a throwable escaping here would end the schedule without a word
            list.prune();
            if (!failing) {
                failing = true;
                LOG.warning(() -> "Cannot fetch revocations from " + source.describe() + " (" + e + "); keeping the "
                        + list.size() + " known until it answers again");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
