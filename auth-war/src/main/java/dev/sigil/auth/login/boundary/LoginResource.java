package dev.sigil.auth.login.boundary;

import dev.sigil.auth.login.control.Authenticator;
import dev.sigil.auth.tokens.control.AccessToken;
import dev.sigil.auth.tokens.control.TokenIssuer;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /auth/login}: the OAuth-style token response. Tokens are credentials, so the
 * response forbids every cache (RFC 6749 section 5.1).
 */
@Path("login")
@DenyAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

    @Inject
    Authenticator authenticator;

    @Inject
    TokenIssuer issuer;

    @POST
    @PermitAll
    public Response login(@NotNull(message = "a JSON body is required") @Valid LoginRequest request) {
        AccessToken token = issuer.issue(authenticator.authenticate(request.email(), request.password()));
        return Response.ok(Json.createObjectBuilder()
                        .add("access_token", token.value())
                        .add("token_type", "Bearer")
                        .add("expires_in", token.expiresIn())
                        .build())
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build();
    }
}
