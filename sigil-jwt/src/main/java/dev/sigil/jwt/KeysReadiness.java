package dev.sigil.jwt;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.TreeSet;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the service knows at least one of auth's public keys, so it can accept a token.
 * Until the first key arrives (a service that never reached auth and has no copy on disk) every
 * token would be refused, so a balancer should send it nothing. The data names the known key
 * ids, which are public anyway, so operators can see a rotation arrive on every instance.
 */
@Readiness
@ApplicationScoped
public class KeysReadiness implements HealthCheck {

    @Inject
    KeyMirror keys;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("token-keys")
                .status(keys.hasKeys())
                .withData("kids", String.join(",", new TreeSet<>(keys.kids())))
                .build();
    }
}
