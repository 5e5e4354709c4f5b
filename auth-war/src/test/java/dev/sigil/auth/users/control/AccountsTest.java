package dev.sigil.auth.users.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.users.entity.User;
import dev.sigil.web.ApiException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The administration decisions of {@link Accounts} on accounts in memory: which refusal a change
 * of admin power meets. Nothing here reaches the database or fires a revocation; every case is
 * refused before that.
 */
class AccountsTest {

    static final String LAST = "The last enabled administrator cannot be disabled or demoted";

    /** The accounts, by id. */
    static class Registry extends UserRegistry {
        final Map<String, User> users = new HashMap<>();

        User add(boolean admin, boolean enabled) {
            User user = new User("u" + users.size() + "@example.com", "hash", Instant.now());
            if (admin) {
                user.grantAdmin();
            }
            user.enabled(enabled);
            users.put(user.id(), user);
            return user;
        }

        @Override
        public Optional<User> findById(String id) {
            return Optional.ofNullable(users.get(id));
        }
    }

    /** Who holds admin power, as the registry's accounts say, and whether the lock was taken first. */
    static class Power extends Administrators {
        final Registry registry;
        boolean locked;

        Power(Registry registry) {
            this.registry = registry;
        }

        @Override
        public boolean isActive(String userId) {
            User user = registry.users.get(userId);
            return user != null && user.enabled() && user.admin();
        }

        @Override
        long activeCount() {
            assertTrue(locked, "counted under the administration lock");
            return registry.users.values().stream()
                    .filter(user -> user.enabled() && user.admin())
                    .count();
        }

        @Override
        void lock() {
            locked = true;
        }
    }

    final Registry registry = new Registry();
    final Accounts accounts = new Accounts();

    {
        accounts.registry = registry;
        accounts.administrators = new Power(registry);
    }

    /**
     * The only way to meet the 409: under the lock, an enabled caller and another enabled
     * administrator are two, so the target is the last one only once the caller has lost its
     * own power, here by the target's change that committed after the caller's request passed
     * the account check. Then the last administrator is kept, and the 409 says why.
     */
    @Test
    void theLastEnabledAdministratorIsKeptWhenTheCallerLostItsPowerMeanwhile() {
        User target = registry.add(true, true);
        User disabledCaller = registry.add(true, false);
        User demotedCaller = registry.add(false, true);
        for (User caller : new User[] {disabledCaller, demotedCaller}) {
            ApiException disable =
                    assertThrows(ApiException.class, () -> accounts.setEnabled(caller.id(), target.id(), false));
            assertEquals(409, disable.status());
            assertEquals(LAST, disable.detail());
            ApiException demote =
                    assertThrows(ApiException.class, () -> accounts.setAdmin(caller.id(), target.id(), false));
            assertEquals(409, demote.status());
            assertEquals(LAST, demote.detail());
        }
        assertTrue(target.enabled() && target.admin(), "still the administrator");
    }
}
