package dev.sigil.auth.keys.control;

import dev.sigil.web.OwnScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.NamingException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the key ring is started and kept current: at start-up it re-seals and loads the keys on
 * the deploying thread, then every {@code auth.keys.reload-seconds} it re-reads them, rotates
 * when the newest key is {@code auth.keys.rotation-seconds} old and deletes the keys the
 * {@link KeySchedule} has removed. It runs on a thread of its own ({@link OwnScheduler}): on the
 * server's one shared scheduler thread it would wait behind a long purge of refresh tokens,
 * while this instance signed with, and published, a key withdrawn from the database.
 */
@ApplicationScoped
public class KeyMaintenance {

    /*
     * The ring is a CDI client proxy here: only its public methods reach the bean, never its
     * fields or package-private methods.
     */

    private static final Logger LOG = Logger.getLogger(KeyMaintenance.class.getName());

    @Inject
    KeyRing ring;

    @Inject
    @ConfigProperty(name = "auth.keys.rotation-seconds", defaultValue = "2592000")
    long rotationSeconds;

    private ScheduledExecutorService scheduler;

    /** Maintenance of {@code ring}, rotating every {@code rotationSeconds}; for tests. */
    static KeyMaintenance of(KeyRing ring, long rotationSeconds) {
        KeyMaintenance maintenance = new KeyMaintenance();
        maintenance.ring = ring;
        maintenance.rotationSeconds = rotationSeconds;
        return maintenance;
    }

    void onStart(@Observes Startup startup) throws NamingException {
        ring.reseal();
        ring.signingKey();
        long period = ring.reloadSeconds();
        scheduler = OwnScheduler.named("key-maintenance");
        scheduler.scheduleWithFixedDelay(this::maintain, period, period, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Periodic: re-read the keys, rotate when the newest key is old enough, delete removed keys. */
    void maintain() {
        try {
            ring.reload();
            ring.rotateIfOlderThan(rotationSeconds);
            ring.deleteRemoved();
        } catch (RuntimeException | LinkageError e) { // thrown on, it would end the periodic task
            LOG.log(Level.WARNING, "Key maintenance failed; the keys in memory stay in force", e);
        }
    }
}
