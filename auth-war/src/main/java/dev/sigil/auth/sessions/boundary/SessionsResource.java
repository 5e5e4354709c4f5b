package dev.sigil.auth.sessions.boundary;

import dev.sigil.auth.sessions.control.Sessions;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import dev.sigil.jwt.Callers;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /auth/refresh}, {@code /auth/logout} and {@code /auth/logout-all}. The first two
 * take the refresh token itself as the credential; logging out everywhere needs an access token.
 */
@Path("")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {

    @Inject
    Sessions sessions;

    @Context
    SecurityContext security;

    @POST
    @Path("refresh")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response refresh(@NotNull(message = "a JSON body is required") @Valid RefreshRequest request) {
        return GrantResponse.of(sessions.refresh(request.refresh_token()));
    }

    @POST
    @Path("logout")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    public Response logout(@NotNull(message = "a JSON body is required") @Valid RefreshRequest request) {
        sessions.logout(request.refresh_token());
        return Response.noContent().build();
    }

    @POST
    @Path("logout-all")
    @RolesAllowed("user")
    public Response logoutEverywhere() {
        sessions.logoutEverywhere(Callers.token(security).getSubject());
        return Response.noContent().build();
    }
}
