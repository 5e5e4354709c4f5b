package dev.sigil.auth.oauth.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PublicClientsTest {

    static PublicClients of(String... ids) {
        PublicClients clients = new PublicClients();
        clients.ids = List.of(ids);
        return clients;
    }

    @Test
    void idsOfARegisteredClientsShapeAreTaken() {
        assertDoesNotThrow(() -> of("sigil-app", "ios.app_2", "x".repeat(36)).check());
        assertTrue(of("sigil-app").contains("sigil-app"));
    }

    /** One longer than a refresh token's binding holds would fail every login of that client with a 500. */
    @Test
    void anIdOfAnotherShapeStopsTheStart() {
        for (String id : List.of("x".repeat(37), "ab", "-app", "my app", "app/1", "")) {
            IllegalStateException refused = assertThrows(
                    IllegalStateException.class, () -> of("sigil-app", id).check());
            assertTrue(refused.getMessage().contains("auth.oauth.public-clients"), refused.getMessage());
        }
    }
}
