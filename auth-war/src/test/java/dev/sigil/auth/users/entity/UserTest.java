package dev.sigil.auth.users.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UserTest {

    @Test
    void emailIsStoredTrimmedAndInLowerCase() {
        assertEquals("ada@example.com", new User("  Ada@EXAMPLE.com ", "h", Instant.now()).email());
        assertEquals("istanbul@example.com", User.normalizeEmail("ISTANBUL@example.com"), "locale independent");
    }

    @Test
    void newUserIsAnEnabledMemberOfUserWithARandomId() {
        User cut = new User("a@example.com", "h", Instant.now());
        assertTrue(cut.enabled());
        assertEquals(Set.of("user"), cut.groups());
        UUID.fromString(cut.id());
        assertNotEquals(cut.id(), new User("a@example.com", "h", Instant.now()).id());
    }

    @Test
    void grantingAdminKeepsUser() {
        User cut = new User("a@example.com", "h", Instant.now());
        cut.grantAdmin();
        cut.grantAdmin();
        assertEquals(Set.of("user", "admin"), cut.groups());
    }
}
