package dev.sigil.auth.users.control;

import dev.sigil.auth.users.boundary.Registration;
import dev.sigil.auth.users.entity.User;
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
 * <p>
 * It fails closed: start-up stops when the password breaks the password policy, or when an
 * account with that email exists with another password. Promoting such an account would hand
 * admin power to whoever registered the email first, without their knowing the configured
 * password.
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

    @Inject
    PasswordHasher hasher;

    /**
     * @throws IllegalStateException to stop start-up, with what the operator must change
     */
    /** Why an existing account is not promoted; never the password. */
    static IllegalStateException anotherPassword(String email) {
        return new IllegalStateException("The account " + email + " exists with another password than"
                + " auth.admin.password, so it is not promoted; set auth.admin.password to its password, or unset"
                + " auth.admin.email");
    }

    void onStart(@Observes Startup startup) {
        if (email.isEmpty() || email.get().isBlank()) {
            return;
        }
        String configured = password.orElseThrow(() -> new IllegalStateException(
                "auth.admin.email is set but auth.admin.password is not; set both or neither"));
        if (!Registration.acceptablePassword(configured)) {
            throw new IllegalStateException("auth.admin.password breaks the password policy ("
                    + Registration.PASSWORD_POLICY + "); no administrator is created or promoted");
        }
        Optional<User> existing = registry.findByEmail(email.get());
        if (existing.isPresent() && !hasher.verify(configured, existing.get().passwordHash())) {
            throw anotherPassword(existing.get().email());
        }
        registry.ensureAdmin(email.get(), configured)
                .ifPresentOrElse(
                        admin -> LOG.info(() -> "Administrator account ensured for " + admin.email()),
                        () -> LOG.warning(() -> "The account " + email.get() + " is not an administrator and is"
                                + " not made one: an enabled administrator exists, who may have demoted it;"
                                + " auth.admin.email makes the first administrator only. Unset it"));
    }
}
