package dev.sigil.auth.users.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.users.control.Accounts;
import dev.sigil.auth.users.entity.User;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import dev.sigil.jwt.Callers;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.Response;

/** {@code /auth/users/me}: the caller's own account, identified by the access token's subject. */
@Path("users/me")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    Accounts accounts;

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed(User.GROUP_USER)
    public JsonObject me() {
        return details(accounts.get(Callers.token(security).getSubject())).build();
    }

    /** Changes the password and ends every session, this one's refresh token included. */
    @PUT
    @Path("password")
    @RolesAllowed(User.GROUP_USER)
    @Consumes(MediaType.APPLICATION_JSON)
    public Response changePassword(@NotNull(message = "a JSON body is required") @Valid PasswordChange change) {
        accounts.changePassword(Callers.token(security).getSubject(), change.current_password(), change.new_password());
        return Response.noContent().build();
    }

    static jakarta.json.JsonObjectBuilder details(User user) {
        return JSON.createObjectBuilder()
                .add("id", user.id())
                .add("email", user.email())
                .add("groups", JSON.createArrayBuilder(user.groups().stream().sorted().toList()))
                .add("created_at", user.createdAt().toString());
    }
}
