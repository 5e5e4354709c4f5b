package dev.sigil.auth.oauth.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.sessions.control.Sessions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientAuthenticationTest {

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    ClientAuthentication cut() {
        ClientAuthentication cut = new ClientAuthentication();
        cut.publicClients = new PublicClients();
        cut.publicClients.ids = List.of("sigil-app");
        return cut;
    }

    @Test
    void basicCredentialsAreFormDecodedAfterBase64() {
        assertArrayEquals(new String[] {"svc:1", "s e+cret"}, ClientAuthentication.basic(encode("svc%3A1:s+e%2Bcret")));
        assertArrayEquals(new String[] {"svc", "a:b"}, ClientAuthentication.basic(encode("svc:a:b")));
        assertArrayEquals(
                new String[] {"svc", "s\u00e9cret"},
                ClientAuthentication.basic(encode("svc:s%C3%A9cret")),
                "escaped UTF-8");
    }

    @Test
    void malformedBasicCredentialsAreInvalidClient() {
        String rawLatin1 = Base64.getEncoder().encodeToString("svc:s\u00e9cret".getBytes(StandardCharsets.ISO_8859_1));
        for (String bad : List.of(
                "not*base64",
                encode("no-colon"),
                encode(":secret-without-id"),
                rawLatin1,
                encode("svc:s%E9cret"),
                encode("svc:s%zzcret"),
                encode("svc:secret%4"))) {
            assertEquals(
                    "invalid_client",
                    assertThrows(OAuthError.class, () -> ClientAuthentication.basic(bad))
                            .error());
        }
    }

    @Test
    void publicClientsNameTheirIdAndUnknownOnesAreRefused() {
        ClientAuthentication.Caller caller = cut().authenticate(null, "sigil-app", null);
        assertTrue(caller.isPublic());
        assertEquals("sigil-app", caller.clientId());
        OAuthError unknown = assertThrows(OAuthError.class, () -> cut().authenticate(null, "other-app", null));
        assertEquals(401, unknown.status());
        assertEquals("invalid_client", unknown.error());
        OAuthError none = assertThrows(OAuthError.class, () -> cut().authenticate(null, null, null));
        assertEquals(401, none.status(), "no client authentication at all is invalid_client (RFC 6749 5.2)");
        assertEquals("invalid_client", none.error());
        assertEquals(
                "invalid_client",
                assertThrows(OAuthError.class, () -> cut().authenticate("Bearer abc", null, null))
                        .error(),
                "another scheme is no client authentication");
        assertEquals(
                "invalid_client",
                assertThrows(OAuthError.class, () -> cut().confidentialOnly(null, "sigil-app", null))
                        .error());
    }

    @Test
    void twoAuthenticationMethodsAtOnceAreRefused() {
        OAuthError both = assertThrows(
                OAuthError.class, () -> cut().authenticate("Basic " + encode("svc:secret"), null, "secret"));
        assertEquals("invalid_request", both.error());
        OAuthError differs = assertThrows(
                OAuthError.class, () -> cut().authenticate("Basic " + encode("svc:secret"), "other", null));
        assertEquals("invalid_request", differs.error());
    }

    @Test
    void secretsAre256RandomBitsComparedByHash() {
        String secret = ClientSecrets.generate();
        assertEquals(32, Base64.getUrlDecoder().decode(secret).length);
        assertFalse(secret.equals(ClientSecrets.generate()));
        String hash = ClientSecrets.hash(secret);
        assertEquals(64, hash.length());
        assertTrue(ClientSecrets.matches(secret, hash));
        assertFalse(ClientSecrets.matches(secret + "x", hash));
        assertFalse(ClientSecrets.matches(secret, ClientSecrets.NO_CLIENT));
    }

    @Test
    void aRefreshNamingNoClientIsItsTokensPublicClientAndAnUnknownTokenIsInvalidGrant() {
        ClientAuthentication cut = cut();
        Map<String, Sessions.Binding> known = Map.of(
                "app-token", new Sessions.Binding("sigil-app"),
                "json-api-token", new Sessions.Binding(null),
                "retired-client-token", new Sessions.Binding("retired-app"));
        cut.sessions = new Sessions() {
            @Override
            public Optional<Sessions.Binding> binding(String refreshToken) {
                return Optional.ofNullable(known.get(refreshToken));
            }
        };
        ClientAuthentication.Caller caller = cut.forRefresh(null, null, null, "app-token");
        assertTrue(caller.isPublic());
        assertEquals("sigil-app", caller.clientId());
        for (String needsAClient : List.of("json-api-token", "retired-client-token")) {
            assertEquals(
                    "invalid_client",
                    assertThrows(OAuthError.class, () -> cut.forRefresh(null, null, null, needsAClient))
                            .error(),
                    needsAClient);
        }
        OAuthError unknown = assertThrows(OAuthError.class, () -> cut.forRefresh(null, null, null, "purged-token"));
        assertEquals("invalid_grant", unknown.error());
        assertEquals(Sessions.INVALID, unknown.description());
    }
}
