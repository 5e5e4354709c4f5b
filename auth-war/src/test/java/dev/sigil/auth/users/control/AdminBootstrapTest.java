package dev.sigil.auth.users.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.users.entity.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminBootstrapTest {

    static final String EMAIL = "ops@example.com";
    static final String PASSWORD = "configured admin password";

    /** An account store of at most one account, recording what is ensured. */
    static class OneAccount extends UserRegistry {
        User account;
        final List<String> ensured = new ArrayList<>();

        @Override
        public Optional<User> findByEmail(String email) {
            return Optional.ofNullable(account).filter(user -> user.email().equals(User.normalizeEmail(email)));
        }

        @Override
        public Optional<User> ensureAdmin(String email, String password) {
            ensured.add(email);
            return Optional.of(new User(email, "hash of " + password, Instant.now()));
        }
    }

    /** A "hash" that is the password itself: the bootstrap's decisions, without PBKDF2. */
    static class PlainHasher extends PasswordHasher {
        @Override
        public boolean verify(String password, String storedHash) {
            return storedHash.equals("hash of " + password);
        }
    }

    final OneAccount registry = new OneAccount();

    AdminBootstrap cut(String password) {
        AdminBootstrap cut = new AdminBootstrap();
        cut.email = Optional.of(EMAIL);
        cut.password = Optional.ofNullable(password);
        cut.registry = registry;
        cut.hasher = new PlainHasher();
        return cut;
    }

    @Test
    void createsTheAdministratorWhenNoAccountHasTheEmail() {
        cut(PASSWORD).onStart(null);
        assertEquals(List.of(EMAIL), registry.ensured);
    }

    @Test
    void promotesAnExistingAccountOnlyWithItsOwnPassword() {
        registry.account = new User(EMAIL, "hash of " + PASSWORD, Instant.now());
        cut(PASSWORD).onStart(null);
        assertEquals(List.of(EMAIL), registry.ensured);
    }

    @Test
    void anExistingAccountWithAnotherPasswordStopsStartUp() {
        registry.account = new User(EMAIL, "hash of the password its owner chose", Instant.now());
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> cut(PASSWORD).onStart(null));
        assertTrue(refused.getMessage().contains("exists with another password"), refused::getMessage);
        assertFalse(refused.getMessage().contains(PASSWORD), "never the password");
        assertEquals(List.of(), registry.ensured, "not promoted");
    }

    /**
     * The account found when the administrator is ensured is checked again: one registered with
     * another password after the start-up's own check (another auth instance serving meanwhile)
     * is not promoted.
     */
    @Test
    void anAccountRegisteredAfterTheCheckIsNotPromoted() {
        User registeredMeanwhile = new User(EMAIL, "hash of someone else's password", Instant.now());
        UserRegistry real = holding(registeredMeanwhile, 0);
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> real.ensureAdmin(EMAIL, PASSWORD));
        assertTrue(refused.getMessage().contains("exists with another password"), refused::getMessage);
        assertFalse(registeredMeanwhile.admin(), "not promoted");
        UserRegistry same = holding(new User(EMAIL, "hash of " + PASSWORD, Instant.now()), 0);
        assertTrue(same.ensureAdmin(EMAIL, PASSWORD).orElseThrow().admin(), "with its own password it is");
    }

    /** The real registry over one existing account, with {@code activeAdministrators} others enabled. */
    static UserRegistry holding(User account, long activeAdministrators) {
        UserRegistry registry = new UserRegistry() {
            @Override
            public Optional<User> findByEmail(String email) {
                return Optional.of(account);
            }
        };
        registry.hasher = new PlainHasher();
        registry.administrators = administrators(activeAdministrators);
        return registry;
    }

    /** Administrators of whom {@code active} are enabled; the lock is a no-op. */
    static Administrators administrators(long active) {
        return new Administrators() {
            @Override
            long activeCount() {
                return active;
            }

            @Override
            void lock() {}
        };
    }

    /**
     * An account demoted by an administrator stays demoted at the next start, though the
     * settings still name it with its own password; with no enabled administrator left it is
     * made one again, which is what the settings are for.
     */
    @Test
    void aDemotedAccountIsNotMadeAnAdministratorAgainWhileAnotherIsEnabled() {
        User demoted = new User(EMAIL, "hash of " + PASSWORD, Instant.now());
        assertTrue(holding(demoted, 1).ensureAdmin(EMAIL, PASSWORD).isEmpty());
        assertFalse(demoted.admin(), "left as it is");
        assertTrue(
                holding(demoted, 0).ensureAdmin(EMAIL, PASSWORD).orElseThrow().admin(), "with none left, made one");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "eleven char", "line\nbreak in a long password", "nul \u0000 in a long password"})
    void aPasswordBreakingThePolicyStopsStartUp(String password) {
        IllegalStateException refused =
                assertThrows(IllegalStateException.class, () -> cut(password).onStart(null));
        assertTrue(refused.getMessage().contains("breaks the password policy"), refused::getMessage);
        assertEquals(List.of(), registry.ensured);
    }

    @Test
    void tooLongAPasswordStopsStartUpToo() {
        assertThrows(IllegalStateException.class, () -> cut("p".repeat(129)).onStart(null));
        cut("p".repeat(128)).onStart(null);
        assertEquals(List.of(EMAIL), registry.ensured);
    }

    @Test
    void anEmailWithoutAPasswordStopsStartUp() {
        assertThrows(IllegalStateException.class, () -> cut(null).onStart(null));
        assertEquals(List.of(), registry.ensured);
    }

    @Test
    void withoutAnEmailNothingHappens() {
        AdminBootstrap cut = cut("short");
        cut.email = Optional.empty();
        cut.onStart(null);
        assertEquals(List.of(), registry.ensured);
    }
}
