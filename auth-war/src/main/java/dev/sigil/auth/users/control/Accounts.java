package dev.sigil.auth.users.control;

import dev.sigil.auth.login.control.LoginThrottle;
import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.ForbiddenException;

/**
 * Changes to existing accounts, by their owner or by an administrator, and what they set off.
 * Creating and finding accounts is the {@link UserRegistry}'s, which this class uses to load the
 * account it changes. Whatever makes old
 * credentials untrustworthy (a new password, a disabled account) also ends the user's sessions.
 * Administrators cannot change their own account's status or group, and the last enabled
 * administrator cannot be disabled or demoted, so no one can lock everyone out.
 */
@ApplicationScoped
@Transactional(dontRollbackOn = ApiException.class)
public class Accounts {

    @Inject
    UserRegistry registry;

    @Inject
    PasswordHasher hasher;

    @Inject
    Administrators administrators;

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
        User checked = get(userId);
        String checkedHash = checked.passwordHash();
        try (LoginThrottle.Attempt attempt = throttle.attempt(checked.email(), address)) {
            if (!hasher.verify(currentPassword, checkedHash)) {
                attempt.failed();
                throw new ApiException(403, "Current password is incorrect");
            }
            attempt.succeeded();
        }
        String newHash = hasher.hash(newPassword);
        // the hashes ran without a lock; under it, the hash checked must still be the stored one:
        // of two changes from one current password, the second finds the first one's hash
        User user = registry.findLocked(userId)
                .filter(stored -> stored.passwordHash().equals(checkedHash))
                .orElseThrow(() -> new ApiException(403, "Current password is incorrect"));
        user.passwordHash(newHash);
        revoked.fire(new CredentialsRevoked(userId));
    }

    /** Clears the account's login lockout on every address. */
    public User unlock(String userId) {
        User user = get(userId);
        throttle.unlock(user.email());
        return user;
    }

    /**
     * @throws ApiException 409 for the caller's own account, or when it would leave no enabled administrator
     * @throws ForbiddenException when the caller is no longer an enabled administrator
     */
    @Transactional
    public User setEnabled(String adminId, String userId, boolean enabled) {
        User user = administered(
                adminId,
                userId,
                !enabled,
                enabled ? "Administrators cannot enable themselves" : "Administrators cannot disable themselves");
        user.enabled(enabled);
        if (!enabled) {
            revoked.fire(new CredentialsRevoked(userId));
        }
        return user;
    }

    /**
     * Grants or revokes group admin; revoking ends the account's sessions, as disabling does, so
     * nothing started with admin power outlives it but access tokens already issued.
     *
     * @throws ApiException 409 for the caller's own account, or when it would leave no enabled administrator
     * @throws ForbiddenException when the caller is no longer an enabled administrator
     */
    @Transactional
    public User setAdmin(String adminId, String userId, boolean admin) {
        User user = administered(
                adminId,
                userId,
                !admin,
                admin
                        ? "Administrators cannot grant themselves the admin group"
                        : "Administrators cannot revoke their own admin group");
        if (admin) {
            user.grantAdmin();
        } else if (user.admin()) {
            user.revokeAdmin();
            revoked.fire(new CredentialsRevoked(userId));
        }
        return user;
    }

    /**
     * The account an administrator is about to change, read under the administration lock so
     * that concurrent changes see each other. No one changes their own account; a change that
     * takes power away must leave another enabled administrator; and the caller must still be
     * one now, whatever its token said when the request came in.
     */
    private User administered(String adminId, String userId, boolean takesPower, String selfDetail) {
        administrators.lock();
        User user = get(userId);
        if (user.id().equals(adminId)) {
            throw new ApiException(409, selfDetail);
        }
        if (takesPower && user.enabled() && user.admin() && administrators.activeCount() <= 1) {
            throw new ApiException(409, "The last enabled administrator cannot be disabled or demoted");
        }
        if (!administrators.isActive(adminId)) {
            throw new ForbiddenException();
        }
        return user;
    }

    /** The answer for an account id that names no account. */
    public static ApiException notFound() {
        return new ApiException(404, "User not found");
    }
}
