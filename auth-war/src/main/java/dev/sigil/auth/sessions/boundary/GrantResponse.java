package dev.sigil.auth.sessions.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.sessions.control.Sessions.Grant;
import jakarta.ws.rs.core.Response;

/**
 * The OAuth-style token response of login and refresh. Tokens are credentials, so the response
 * forbids every cache (RFC 6749 section 5.1).
 */
public final class GrantResponse {

    private GrantResponse() {}

    public static Response of(Grant grant) {
        return Response.ok(JSON.createObjectBuilder()
                        .add("access_token", grant.access().value())
                        .add("token_type", "Bearer")
                        .add("expires_in", grant.access().expiresIn())
                        .add("refresh_token", grant.refreshToken())
                        .add("refresh_expires_in", grant.refreshExpiresIn())
                        .build())
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build();
    }
}
