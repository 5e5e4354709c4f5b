package dev.sigil.auth.discovery.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigil.auth.oauth.control.TokenGrants;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import org.junit.jupiter.api.Test;

class DiscoveryResourceTest {

    static List<String> grantTypes(boolean passwordGrant) {
        DiscoveryResource cut = new DiscoveryResource();
        cut.issuer = "https://id.example.com/auth";
        cut.grants = new TokenGrants() {
            @Override
            public boolean passwordGrant() {
                return passwordGrant;
            }
        };
        JsonObject metadata = cut.metadata();
        assertEquals("https://id.example.com/auth/oauth2/token", metadata.getString("token_endpoint"));
        return metadata.getJsonArray("grant_types_supported").getValuesAs(JsonString::getString);
    }

    /** Without the password grant no OAuth client gets a refresh token, so neither is advertised. */
    @Test
    void thePasswordAndRefreshGrantsAreAdvertisedOnlyWhileThePasswordGrantIsOn() {
        assertEquals(List.of("password", "refresh_token", "client_credentials"), grantTypes(true));
        assertEquals(List.of("client_credentials"), grantTypes(false));
    }
}
