package dev.sigil.auth.users.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.sessions.control.Sessions;
import dev.sigil.auth.users.control.Accounts;
import dev.sigil.auth.users.control.PasswordHasher;
import dev.sigil.auth.users.control.Profiles.Profile;
import dev.sigil.auth.users.control.UserRegistry;
import dev.sigil.auth.users.entity.User;
import dev.sigil.jwt.Callers;
import dev.sigil.jwt.Roles;
import dev.sigil.web.QueryParams;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /auth/admin/users}: account administration, for enabled members of group {@code admin}
 * ({@link AdministratorCheck} re-reads the caller's account on every call). Disabling or demoting
 * an account ends its sessions; its access tokens expire on their own within minutes. The list
 * shows which accounts still have a password hash of weaker parameters than configured
 * ({@code password_upgrade_pending}): it is replaced at that user's next login.
 */
@Path("admin/users")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: users", description = "Account administration, for group `admin` only")
public class AdminUsersResource {

    static final String CALLER =
            "Needs a token of group `admin` whose account is still enabled and in group " + "`admin` (403 otherwise).";
    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;

    @Inject
    UserRegistry registry;

    @Inject
    Accounts accounts;

    @Inject
    PasswordHasher hasher;

    @Inject
    Callers callers;

    @Inject
    Sessions sessions;

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "listAccounts",
            summary = "List accounts",
            description = "One page of all accounts, oldest first. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters({
        @Parameter(
                name = "page",
                in = ParameterIn.QUERY,
                description = "The page, counted from 0; 0 when absent",
                schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "21474836")),
        @Parameter(
                name = "size",
                in = ParameterIn.QUERY,
                description = "Accounts per page; 20 when absent",
                schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100"))
    })
    @APIResponse(
            responseCode = "200",
            description = "One page of accounts",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ManagedAccountPage")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public JsonObject list(@QueryParam("page") String page, @QueryParam("size") String size) {
        int pageNumber = QueryParams.wholeNumber("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE);
        int pageSize = QueryParams.wholeNumber("size", size, DEFAULT_SIZE, 1, MAX_SIZE);
        UserRegistry.Page result = registry.page(pageNumber, pageSize);
        JsonArrayBuilder users = JSON.createArrayBuilder();
        result.users()
                .forEach(user -> users.add(JSON.createObjectBuilder(json(user))
                        .add("password_upgrade_pending", hasher.needsUpgrade(user.passwordHash()))));
        return JSON.createObjectBuilder()
                .add("users", users)
                .add("page", pageNumber)
                .add("size", pageSize)
                .add("total", result.total())
                .build();
    }

    @POST
    @Path("{id}/disable")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "disableAccount",
            summary = "Disable an account",
            description = "The account can no longer log in or refresh, all its sessions end and its access "
                    + "tokens are revoked (at auth at once, at other services within seconds). Idempotent. Answers "
                    + "409 for the caller's own account and for the last enabled administrator. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The user id"))
    @APIResponse(
            responseCode = "200",
            description = "The account, now disabled",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ManagedAccount")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @APIResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    public JsonObject disable(@PathParam("id") String id) {
        return json(accounts.setEnabled(callers.subject(), id, false));
    }

    @POST
    @Path("{id}/revoke-tokens")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "revokeTokens",
            summary = "Revoke every token of an account",
            description = "For incident response: every session of the account ends and every access token issued "
                    + "to it until now is refused, by auth at once and by other services within seconds. The "
                    + "account stays enabled: a new login works at once. Needs a token of group `admin`.")
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The user id"))
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response revokeTokens(@PathParam("id") String id) {
        sessions.logoutEverywhere(accounts.get(id).id());
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/enable")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "enableAccount",
            summary = "Enable an account",
            description = "The account can log in again. Idempotent. Answers 409 for the caller's own account: "
                    + "administrators cannot enable themselves. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The user id"))
    @APIResponse(
            responseCode = "200",
            description = "The account, now enabled",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ManagedAccount")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @APIResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    public JsonObject enable(@PathParam("id") String id) {
        return json(accounts.setEnabled(callers.subject(), id, true));
    }

    @PUT
    @Path("{id}/admin")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "grantAdmin",
            summary = "Make an account an administrator",
            description = "Adds group `admin`; it appears in the account's tokens from its next login or refresh. "
                    + "Idempotent. Answers 409 for the caller's own account: administrators cannot promote "
                    + "themselves. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The user id"))
    @APIResponse(
            responseCode = "200",
            description = "The account, now in group admin",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ManagedAccount")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @APIResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    public JsonObject grantAdmin(@PathParam("id") String id) {
        return json(accounts.setAdmin(callers.subject(), id, true));
    }

    @DELETE
    @Path("{id}/admin")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "revokeAdmin",
            summary = "Take administrator rights from an account",
            description = "Removes group `admin`, ends the account's sessions and revokes its access tokens issued "
                    + "until then; no admin endpoint accepts a token of the account any more. Idempotent. Answers "
                    + "409 for the caller's own account and for the last enabled administrator. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The user id"))
    @APIResponse(
            responseCode = "200",
            description = "The account, no longer in group admin",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ManagedAccount")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    @APIResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    public JsonObject revokeAdmin(@PathParam("id") String id) {
        return json(accounts.setAdmin(callers.subject(), id, false));
    }

    @POST
    @Path("{id}/unlock")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "unlockAccount",
            summary = "Clear an account's login lockout",
            description = "Ends the account's login lockout on every client address and starts its failure counts "
                    + "over; locks of client addresses themselves stay. Idempotent. Needs a token of group `admin`.")
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The user id"))
    @APIResponse(
            responseCode = "200",
            description = "The account, no longer locked",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ManagedAccount")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public JsonObject unlock(@PathParam("id") String id) {
        return json(accounts.unlock(id));
    }

    static JsonObject json(User user) {
        return MeResource.details(Profile.of(user))
                .add("enabled", user.enabled())
                .build();
    }
}
