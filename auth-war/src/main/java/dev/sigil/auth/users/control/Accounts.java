package dev.sigil.auth.users.control;

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

    public User get(String userId) {
        return registry.findById(userId).orElseThrow(Accounts::notFound);
    }

    /**
     * @throws ApiException 403 when the current password is wrong
     */
    @Transactional
    public void changePassword(String userId, String currentPassword, String newPassword) {
        User user = get(userId);
        if (!hasher.verify(currentPassword, user.passwordHash())) {
            throw new ApiException(403, "Current password is incorrect");
        }
        user.passwordHash(hasher.hash(newPassword));
        revoked.fire(new CredentialsRevoked(userId));
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
