package dev.sigil.auth.login.control;

import dev.sigil.auth.monitoring.AuthMetrics;
import dev.sigil.auth.monitoring.AuthMetrics.LoginOutcome;
import dev.sigil.auth.users.control.PasswordHasher;
import dev.sigil.auth.users.control.UserRegistry;
import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Checks an email and password, counted by the {@link LoginThrottle} before the hash runs; a correct password stored with
 * weaker parameters than configured is re-hashed on the spot. Unknown email, wrong password and disabled account all end in
 * the same {@code 401 Invalid credentials}, and an unknown email still runs one full PBKDF2
 * verification, so neither the answer nor its timing tells whether an account exists.
 * <p>
 * The account returned is as it was read before the hash ran; {@code Sessions.start} checks,
 * under the account's lock, that it has not changed since.
 */
@ApplicationScoped
public class Authenticator {

    public static final String INVALID_CREDENTIALS = "Invalid credentials";

    @Inject
    UserRegistry registry;

    @Inject
    PasswordHasher hasher;

    @Inject
    LoginThrottle throttle;

    @Inject
    AuthMetrics metrics = AuthMetrics.NONE;

    /**
     * @param address the client's address, for throttling
     * @throws ApiException 401 for bad credentials, 429 while the account or address is locked
     */
    public User authenticate(String email, String password, String address) {
        LoginThrottle.Attempt attempt;
        try {
            attempt = throttle.attempt(email, address);
        } catch (ApiException locked) {
            metrics.login(LoginOutcome.THROTTLED);
            throw locked;
        }
        try (attempt) {
            Optional<User> user = registry.findByEmail(email);
            boolean matches = user.isPresent()
                    ? hasher.verify(password, user.get().passwordHash())
                    : hasher.verifyAgainstNothing(password);
            if (!matches && user.isPresent()) {
                hasher.spendWhatTheStoredHashLacks(password, user.get().passwordHash());
            }
            if (!matches || !user.get().enabled()) {
                attempt.failed();
                metrics.login(LoginOutcome.FAILED);
                throw new ApiException(401, INVALID_CREDENTIALS);
            }
            attempt.succeeded();
            metrics.login(LoginOutcome.OK);
            if (hasher.needsUpgrade(user.get().passwordHash())) {
                return registry.rehash(user.get().id(), user.get().passwordHash(), hasher.hash(password))
                        .or(() -> changedMeanwhile(user.get().id(), password))
                        .orElseThrow(() -> new ApiException(401, INVALID_CREDENTIALS));
            }
            return user.get();
        }
    }

    /**
     * The account whose hash changed while this login checked the old one: another login's
     * upgrade, which the password still opens, or a password change, which it does not.
     */
    private Optional<User> changedMeanwhile(String userId, String password) {
        return registry.findById(userId)
                .filter(User::enabled)
                .filter(stored -> hasher.verify(password, stored.passwordHash()));
    }
}
