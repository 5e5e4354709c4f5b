package dev.sigil.auth.login.boundary;

import dev.sigil.auth.login.control.Authenticator;
import dev.sigil.auth.sessions.boundary.GrantResponse;
import dev.sigil.auth.sessions.control.Sessions;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /auth/login}: checks email and password and starts a session: an access token
 * and the first refresh token of a new family.
 */
@Path("login")
@DenyAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class LoginResource {

    @Inject
    Authenticator authenticator;

    @Inject
    Sessions sessions;

    @POST
    @PermitAll
    public Response login(@NotNull(message = "a JSON body is required") @Valid LoginRequest request,
            @Context HttpServletRequest http) {
        return GrantResponse.of(sessions.start(
                authenticator.authenticate(request.email(), request.password(), http.getRemoteAddr())));
    }
}
