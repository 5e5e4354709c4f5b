package dev.sigil.auth.users.control;

import dev.sigil.auth.login.control.LoginThrottle;
import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Changes to existing accounts, by their owner or by an administrator. Whatever makes old
 * credentials untrustworthy (a new password, a disabled account) also ends the user's sessions.
 * Administrators cannot disable or demote themselves, so the last administrator cannot lock
 * everyone out by accident.
 */
@ApplicationScoped
@Transactional(dontRollbackOn = ApiException.class)
public class Accounts {

    @Inject
    UserRegistry registry;

    @Inject
    PasswordHasher hasher;

    @Inject
    Event<CredentialsRevoked> revoked;

    @Inject
    LoginThrottle throttle;

    public User get(String userId) {
        return registry.findById(userId).orElseThrow(Accounts::notFound);
    }

    /**
     * The current password is checked like a login, counted by the {@link LoginThrottle} on the
     * account and the caller's address, so a stolen access token cannot be used to guess it
     * faster than logins could.
     *
     * @param address the caller's address, for throttling
     * @throws ApiException 403 when the current password is wrong, 429 while locked
     */
    @Transactional
    public void changePassword(String userId, String currentPassword, String newPassword, String address) {
        User user = get(userId);
        try (LoginThrottle.Attempt attempt = throttle.attempt(user.email(), address)) {
            if (!hasher.verify(currentPassword, user.passwordHash())) {
                attempt.failed();
                throw new ApiException(403, "Current password is incorrect");
            }
            attempt.succeeded();
        }
        user.passwordHash(hasher.hash(newPassword));
        revoked.fire(new CredentialsRevoked(userId));
    }

    /** Clears the account's login lockout on every address. */
    public User unlock(String userId) {
        User user = get(userId);
        throttle.unlock(user.email());
        return user;
    }

    @Transactional
    public User setEnabled(String adminId, String userId, boolean enabled) {
        User user = get(userId);
        if (!enabled && user.id().equals(adminId)) {
            throw new ApiException(409, "Administrators cannot disable themselves");
        }
        user.enabled(enabled);
        if (!enabled) {
            revoked.fire(new CredentialsRevoked(userId));
        }
        return user;
    }

    @Transactional
    public User setAdmin(String adminId, String userId, boolean admin) {
        User user = get(userId);
        if (!admin && user.id().equals(adminId)) {
            throw new ApiException(409, "Administrators cannot revoke their own admin group");
        }
        if (admin) {
            user.grantAdmin();
        } else {
            user.revokeAdmin();
        }
        return user;
    }

    /** The answer for an account id that names no account. */
    public static ApiException notFound() {
        return new ApiException(404, "User not found");
    }
}
