package dev.sigil.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the service knows the revocations, fetched from auth since it started or loaded
 * from the copy it saved before. A service that has neither (a first start while auth cannot be
 * reached) cannot tell revoked tokens apart and refuses every token ({@link TokenGate}), so a
 * balancer should send it nothing.
 */
@Readiness
@ApplicationScoped
public class RevocationsReadiness implements HealthCheck {

    @Inject
    RevocationPoller poller;

    @Inject
    RevocationList list;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("revocations")
                .status(poller.current())
                .withData("entries", list.size())
                .build();
    }
}
