package dev.sigil.auth.oauth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenGrantsTest {

    @Test
    void thePasswordGrantCanBeTurnedOffAndTheRefreshGrantWithIt() {
        TokenGrants cut = new TokenGrants();
        cut.passwordGrant = false;
        OAuthError off = assertThrows(
                OAuthError.class,
                () -> cut.password(
                        new ClientAuthentication.Caller("sigil-app", null),
                        "a@example.com",
                        "password",
                        null,
                        "127.0.0.1"));
        assertEquals("unsupported_grant_type", off.error());
        assertEquals(false, cut.passwordGrant());
        OAuthError refresh = assertThrows(
                OAuthError.class,
                () -> cut.refresh(new ClientAuthentication.Caller("sigil-app", null), "a-refresh-token", null));
        assertEquals(
                "unsupported_grant_type",
                refresh.error(),
                "a session started before the grant was turned off does not go on refreshing");
        for (String grant : List.of("password", "refresh_token")) {
            assertEquals(
                    "unsupported_grant_type",
                    assertThrows(OAuthError.class, () -> cut.requireOffered(grant))
                            .error(),
                    grant + ", before the client is authenticated");
        }
        cut.requireOffered("client_credentials");
    }

    @Test
    void confidentialGrantsRefusePublicClientsAndPublicGrantsConfidentialOnes() {
        TokenGrants cut = new TokenGrants();
        cut.passwordGrant = true;
        assertEquals(
                "unauthorized_client",
                assertThrows(
                                OAuthError.class,
                                () -> cut.clientCredentials(new ClientAuthentication.Caller("sigil-app", null), null))
                        .error());
    }
}
