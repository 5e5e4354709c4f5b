package dev.sigil.auth.sessions.boundary;

import dev.sigil.auth.sessions.control.Sessions;
import dev.sigil.auth.tokens.control.Audiences;
import dev.sigil.jwt.Callers;
import dev.sigil.jwt.Roles;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /auth/refresh}, {@code /auth/logout} and {@code /auth/logout-all}. The first two
 * take the refresh token itself as the credential; logging out everywhere needs an access token.
 */
@Path("")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions", description = "Refreshing tokens and logging out")
public class SessionsResource {

    @Inject
    Sessions sessions;

    @Inject
    Callers callers;

    @Inject
    Audiences audiences;

    @POST
    @Path("refresh")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "refresh",
            summary = "Get a new token pair",
            description = "Spends a refresh token for a new access token and a new refresh token of the same "
                    + "session. A refresh token works once: presenting a spent one again ends the whole session "
                    + "(reuse detection), so a client must not refresh concurrently with one token. The refresh "
                    + "token is tied to no audience: the new access token is for `audience` if given, else for the "
                    + "first of the other services' (`business` by default). An audience not configured is a 400, "
                    + "and the refresh token is not spent.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/RefreshRequest")))
    @APIResponse(
            responseCode = "200",
            description = "A new token pair; the response is never cached",
            headers = {
                @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "Pragma", description = "no-cache", schema = @Schema(type = SchemaType.STRING))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/TokenGrant")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/InvalidRefreshToken")
    @APIResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    public Response refresh(@NotNull(message = "a JSON body is required") @Valid RefreshRequest request) {
        return GrantResponse.of(
                sessions.refresh(request.refresh_token(), audiences.requested(request.audience()), Sessions.JSON_API));
    }

    @POST
    @Path("logout")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "logout",
            summary = "Log out",
            description = "Ends the session of this refresh token. Idempotent: an unknown or already ended token "
                    + "changes nothing and is answered the same. The access tokens of this session are revoked: "
                    + "auth refuses them at once, other services once the revocation reaches them.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/LogoutRequest")))
    @APIResponse(responseCode = "204", description = "The session is ended")
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    public Response logout(@NotNull(message = "a JSON body is required") @Valid RefreshRequest request) {
        sessions.logout(request.refresh_token());
        return Response.noContent().build();
    }

    @POST
    @Path("logout-all")
    @RolesAllowed(Roles.USER)
    @Operation(
            operationId = "logoutEverywhere",
            summary = "Log out everywhere",
            description = "Ends every session of the caller (the access token's subject) and revokes every access "
                    + "token of the caller issued until then. Needs a token of group `user` for audience `auth`.")
    @SecurityRequirement(name = "bearer")
    @APIResponse(responseCode = "204", description = "Every session of the caller is ended")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public Response logoutEverywhere() {
        sessions.logoutEverywhere(callers.subject());
        return Response.noContent().build();
    }
}
