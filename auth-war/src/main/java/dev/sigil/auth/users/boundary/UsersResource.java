package dev.sigil.auth.users.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.users.control.UserRegistry;
import dev.sigil.auth.users.entity.User;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Self-service registration. Every account starts in group {@code user}. */
@Path("users")
@DenyAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {

    @Inject
    UserRegistry registry;

    @POST
    @PermitAll
    public Response register(@NotNull(message = "a JSON body is required") @Valid Registration registration) {
        User user = registry.register(registration.email(), registration.password());
        return Response.status(Response.Status.CREATED).entity(summary(user)).build();
    }

    static JsonObject summary(User user) {
        return JSON.createObjectBuilder()
                .add("id", user.id())
                .add("email", user.email())
                .build();
    }
}
