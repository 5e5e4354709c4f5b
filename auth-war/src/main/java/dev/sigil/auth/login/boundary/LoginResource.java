package dev.sigil.auth.login.boundary;

import dev.sigil.auth.login.control.Authenticator;
import dev.sigil.auth.login.control.ClientAddress;
import dev.sigil.auth.sessions.boundary.GrantResponse;
import dev.sigil.auth.sessions.control.Sessions;
import dev.sigil.auth.tokens.control.Audiences;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /auth/login}: checks email and password and starts a session: an access token
 * and the first refresh token of a new family.
 */
@Path("login")
@DenyAll
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Login", description = "Email and password in, an access token and a refresh token out")
public class LoginResource {

    @Inject
    Authenticator authenticator;

    @Inject
    Sessions sessions;

    @Inject
    ClientAddress addresses;

    @Inject
    Audiences audiences;

    @POST
    @PermitAll
    @Operation(
            operationId = "login",
            summary = "Log in",
            description = "Checks email and password and starts a session: a short-lived access token (300 s by "
                    + "default) and the first refresh token of a new session. Unknown email, wrong password and "
                    + "disabled account are answered alike. Every attempt is counted before the password is checked. By "
                    + "default 5 failures lock the account for the client address they came from, 100 from all "
                    + "addresses lock it for every address it has not logged in from recently, and 50 lock the client "
                    + "address, first for 60 s, doubling up to 15 minutes; while locked, every attempt is answered "
                    + "429, even with the right password. The access token is for one audience: "
                    + "`audience` if given (`auth` for auth's own account and administration endpoints), else "
                    + "the first of the other services' (`business` by default); an audience not configured "
                    + "is a 400 before the password is checked.")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/LoginRequest")))
    @APIResponse(
            responseCode = "200",
            description = "Logged in; the response is never cached",
            headers = {
                @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
                @Header(name = "Pragma", description = "no-cache", schema = @Schema(type = SchemaType.STRING))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/TokenGrant")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/InvalidCredentials")
    @APIResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @APIResponse(responseCode = "429", ref = "#/components/responses/TooManyRequests")
    public Response login(
            @NotNull(message = "a JSON body is required") @Valid LoginRequest request,
            @Context HttpServletRequest http) {
        String audience = audiences.requested(request.audience());
        return GrantResponse.of(sessions.start(
                authenticator.authenticate(request.email(), request.password(), addresses.of(http)),
                audience,
                Sessions.JSON_API));
    }
}
