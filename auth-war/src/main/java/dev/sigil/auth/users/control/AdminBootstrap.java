package dev.sigil.auth.users.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Creates the first administrator from configuration ({@code AUTH_ADMIN_EMAIL} and
 * {@code AUTH_ADMIN_PASSWORD}), so operators never need direct database access to get one.
 * An existing account with that email is promoted; its password is left as it is.
 */
@ApplicationScoped
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());

    @Inject
    @ConfigProperty(name = "auth.admin.email")
    Optional<String> email;

    @Inject
    @ConfigProperty(name = "auth.admin.password")
    Optional<String> password;

    @Inject
    UserRegistry registry;

    void onStart(@Observes Startup startup) {
        if (email.isEmpty() || email.get().isBlank()) {
            return;
        }
        if (password.isEmpty() || password.get().length() < 12) {
            LOG.warning("auth.admin.email is set but auth.admin.password is missing or shorter than 12 characters; no admin created");
            return;
        }
        LOG.info(() -> "Administrator account ensured for " + registry.ensureAdmin(email.get(), password.get()).email());
    }
}
