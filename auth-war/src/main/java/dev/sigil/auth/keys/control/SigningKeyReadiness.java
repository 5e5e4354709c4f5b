package dev.sigil.auth.keys.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness: auth has a key to sign access tokens with; without one no login can succeed. */
@Readiness
@ApplicationScoped
public class SigningKeyReadiness implements HealthCheck {

    @Inject
    KeyRing ring;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("signing-key");
        try {
            var key = ring.signingKey();
            return response.up()
                    .withData("kid", key.getKeyId())
                    .withData("alg", key.getAlgorithm())
                    .build();
        } catch (RuntimeException e) {
            // a check that throws makes the health endpoint answer 500 without a body
            return response.down()
                    .withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
