package dev.sigil.auth.login.control;

import dev.sigil.auth.users.control.PasswordHasher;
import dev.sigil.auth.users.control.UserRegistry;
import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Checks an email and password. Unknown email, wrong password and disabled account all end in
 * the same {@code 401 Invalid credentials}, and an unknown email still runs one full PBKDF2
 * verification, so neither the answer nor its timing tells whether an account exists.
 */
@ApplicationScoped
public class Authenticator {

    static final String INVALID_CREDENTIALS = "Invalid credentials";

    @Inject
    UserRegistry registry;

    @Inject
    PasswordHasher hasher;

    public User authenticate(String email, String password) {
        Optional<User> user = registry.findByEmail(email);
        boolean matches = user.isPresent()
                ? hasher.verify(password, user.get().passwordHash())
                : hasher.verifyAgainstNothing(password);
        if (!matches || !user.get().enabled()) {
            throw new ApiException(401, INVALID_CREDENTIALS);
        }
        return user.get();
    }
}
