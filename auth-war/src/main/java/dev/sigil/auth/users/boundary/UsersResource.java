package dev.sigil.auth.users.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.login.control.ClientAddress;
import dev.sigil.auth.login.control.LoginThrottle;
import dev.sigil.auth.users.control.UserRegistry;
import dev.sigil.auth.users.entity.User;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Self-service registration. Every account starts in group {@code user}. Each registration
 * costs a password hash, so registrations are counted per client address before it runs
 * ({@link LoginThrottle#registration}).
 */
@Path("users")
@DenyAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Registration", description = "Self-service registration")
public class UsersResource {

    @Inject
    UserRegistry registry;

    @Inject
    LoginThrottle throttle;

    @Inject
    ClientAddress addresses;

    @POST
    @PermitAll
    @Operation(
            operationId = "register",
            summary = "Register an account",
            description = "Creates an account in group `user`; no token is needed. Answers 409 when the email is "
                    + "already registered, in any letter case. "
                    + "By default at most 20 registrations per client address and minute; beyond that, 429.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Registration")))
    @APIResponse(
            responseCode = "201",
            description = "The account was created",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/RegisteredAccount")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @APIResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @APIResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    public Response register(
            @NotNull(message = "a JSON body is required") @Valid Registration registration,
            @Context HttpServletRequest http) {
        throttle.registration(addresses.of(http));
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
