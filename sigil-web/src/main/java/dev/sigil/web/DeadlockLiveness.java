package dev.sigil.web;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness: no threads of the server are deadlocked. A deadlock never resolves by itself, so
 * the process should be restarted; everything else that can go wrong here (database, auth
 * unreachable) is a readiness matter and heals without a restart.
 */
@Liveness
@ApplicationScoped
public class DeadlockLiveness implements HealthCheck {

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public HealthCheckResponse call() {
        long[] deadlocked = threads.findDeadlockedThreads();
        return HealthCheckResponse.named("deadlocks")
                .status(deadlocked == null)
                .withData("deadlocked-threads", deadlocked == null ? 0 : deadlocked.length)
                .build();
    }
}
