package dev.sigil.auth.users.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.login.control.ClientAddress;
import dev.sigil.auth.tokens.boundary.AnyAudience;
import dev.sigil.auth.users.control.Accounts;
import dev.sigil.auth.users.control.Profiles;
import dev.sigil.auth.users.control.Profiles.Profile;
import dev.sigil.jwt.Callers;
import dev.sigil.jwt.Roles;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /auth/users/me}: the caller's own account, identified by the access token's subject. */
@Path("users/me")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Account", description = "The caller's own account")
public class MeResource {

    @Inject
    Accounts accounts;

    @Inject
    Profiles profiles;

    @Inject
    Callers callers;

    @Inject
    ClientAddress addresses;

    /**
     * Read-only and about the caller alone, so also the OpenID Connect userinfo endpoint ({@code sub}
     * and {@code email} next to Sigil's own members): a token of any Sigil audience will do.
     */
    @GET
    @RolesAllowed(Roles.USER)
    @AnyAudience
    @Operation(
            operationId = "getOwnAccount",
            summary = "Get the caller's account",
            description = "The account of the access token's subject; also the OpenID Connect userinfo endpoint, "
                    + "with `sub` (the user id) and `email`. Needs a token of group `user`, for any "
                    + "audience auth signs for (`auth` or another service's, such as `business`).")
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "200", ref = "#/components/responses/OwnAccount")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public JsonObject me() {
        Profile profile = profiles.of(callers.subject()).orElseThrow(Accounts::notFound);
        return details(profile).add("sub", profile.id()).build();
    }

    /** The same by POST, which OpenID Connect requires of a userinfo endpoint; any body is ignored. */
    @POST
    @RolesAllowed(Roles.USER)
    @AnyAudience
    @Operation(
            operationId = "postOwnAccount",
            summary = "Get the caller's account (userinfo by POST)",
            description = "As `GET /users/me`, for OpenID Connect clients that ask the userinfo endpoint by POST. "
                    + "The token goes in the `Authorization` header; a body is ignored.")
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "200", ref = "#/components/responses/OwnAccount")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public JsonObject meByPost() {
        return me();
    }

    /** Changes the password and ends every session, this one's refresh token included. */
    @PUT
    @Path("password")
    @RolesAllowed(Roles.USER)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "changePassword",
            summary = "Change the caller's password",
            description = "Checks the current password, stores the new one and ends every session of the "
                    + "account, this one's refresh token included, and revokes every access token of the account "
                    + "issued until then. The current password is checked like a login and counts towards the same "
                    + "lockout: while the account is locked for the caller's address, the answer is 429. Needs a token "
                    + "of group `user` for audience `auth`.")
    @SecurityRequirement(name = "bearer")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/PasswordChange")))
    @APIResponse(responseCode = "204", description = "The password is changed and every session ended")
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/PasswordChangeForbidden")
    @APIResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @APIResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    public Response changePassword(
            @NotNull(message = "a JSON body is required") @Valid PasswordChange change,
            @Context HttpServletRequest http) {
        accounts.changePassword(
                callers.subject(), change.current_password(), change.new_password(), addresses.of(http));
        return Response.noContent().build();
    }

    static jakarta.json.JsonObjectBuilder details(Profile user) {
        return JSON.createObjectBuilder()
                .add("id", user.id())
                .add("email", user.email())
                .add("groups", JSON.createArrayBuilder(user.groups()))
                .add("created_at", user.createdAt().toString());
    }
}
