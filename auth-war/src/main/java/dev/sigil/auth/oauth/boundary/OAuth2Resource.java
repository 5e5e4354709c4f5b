package dev.sigil.auth.oauth.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.login.control.ClientAddress;
import dev.sigil.auth.oauth.control.ClientAuthentication;
import dev.sigil.auth.oauth.control.ClientAuthentication.Caller;
import dev.sigil.auth.oauth.control.Introspection;
import dev.sigil.auth.oauth.control.OAuthError;
import dev.sigil.auth.oauth.control.TokenGrants;
import dev.sigil.auth.oauth.control.TokenRevoker;
import dev.sigil.auth.sessions.boundary.GrantResponse;
import dev.sigil.auth.tokens.control.AccessToken;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /auth/oauth2/token}, {@code /revoke} and {@code /introspect}: Sigil as an OAuth 2.0
 * authorization server (RFC 6749, 7009, 7662), next to the JSON API, which stays the simple
 * path. Requests are form posts read by {@link OAuthForm}; errors are the protocol's
 * ({@link OAuthErrorMapper}). The logic lives in the control classes, shared with the JSON API.
 */
@Path("oauth2")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(
        name = "OAuth 2.0",
        description = "The standard token, revocation and introspection endpoints, for OAuth 2.0 client libraries")
public class OAuth2Resource {

    static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    ClientAuthentication clients;

    @Inject
    TokenGrants grants;

    @Inject
    TokenRevoker revoker;

    @Inject
    Introspection introspection;

    @Inject
    ClientAddress addresses;

    @POST
    @Path("token")
    @PermitAll
    // HTTP Basic for a confidential client, or nothing (a public client, or client_secret_post)
    @SecurityRequirementsSet(@SecurityRequirement(name = "clientBasic"))
    @SecurityRequirementsSet({})
    @Operation(
            operationId = "oauth2Token",
            summary = "Get tokens (RFC 6749)",
            description = "Form parameters `grant_type` and, per grant: `password` (`username` = email, `password`, "
                    + "public clients only, `client_id` one of `auth.oauth.public-clients`, in the form or as HTTP Basic "
                    + "with an empty secret; throttled like `/auth/login`); "
                    + "`refresh_token` (`refresh_token`, public clients only, which may name no client: the token's own; "
                    + "rotation and reuse detection as at `/auth/refresh`); `client_credentials` (confidential clients, authenticated by HTTP Basic or "
                    + "`client_id` + `client_secret` in the form; a token whose subject is the client id, with its "
                    + "groups, for its first audience unless `audience` or `resource` names another of its audiences; "
                    + "no refresh token). `audience` (or `resource`) chooses the audience as at `/auth/login`. Errors are "
                    + "RFC 6749 section 5.2's: `invalid_request`, `invalid_client` (401 with a Basic challenge), "
                    + "`invalid_grant` (429 with Retry-After while the login throttle locks), `unauthorized_client`, "
                    + "`unsupported_grant_type`, `invalid_scope`, `invalid_target`.")
    @RequestBody(
            required = true,
            content = @Content(mediaType = FORM, schema = @Schema(ref = "#/components/schemas/OAuthTokenRequest")))
    @APIResponse(
            responseCode = "200",
            description = "Tokens; never cached",
            headers =
                    @Header(
                            name = "Cache-Control",
                            description = "no-store",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/OAuthTokenResponse")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/OAuthError")
    @APIResponse(responseCode = "401", ref = "#/components/responses/OAuthInvalidClient")
    @APIResponse(responseCode = "429", ref = "#/components/responses/OAuthError")
    public Response token(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            InputStream body,
            @Context HttpServletRequest http) {
        OAuthForm form = OAuthForm.read(contentType, body);
        String grantType = form.required("grant_type");
        grants.requireOffered(grantType);
        Caller caller = grantType.equals("refresh_token")
                ? clients.forRefresh(
                        authorization, form.get("client_id"), form.get("client_secret"), form.required("refresh_token"))
                : clients.authenticate(authorization, form.get("client_id"), form.get("client_secret"));
        if (form.get("scope") != null) { // after the client: an unauthenticated caller learns nothing else
            throw OAuthError.invalidScope("Sigil's tokens have no scopes; leave out scope");
        }
        String audience = audience(form);
        return switch (grantType) {
            case "password" ->
                GrantResponse.of(grants.password(
                        caller, form.required("username"), form.required("password"), audience, addresses.of(http)));
            case "refresh_token" -> GrantResponse.of(grants.refresh(caller, form.required("refresh_token"), audience));
            case "client_credentials" -> accessOnly(grants.clientCredentials(caller, audience));
            default ->
                throw OAuthError.unsupportedGrantType(
                        "Supported grant types: password, refresh_token, " + "client_credentials");
        };
    }

    @POST
    @Path("revoke")
    @PermitAll
    // HTTP Basic for a confidential client, or nothing (a public client, or client_secret_post)
    @SecurityRequirementsSet(@SecurityRequirement(name = "clientBasic"))
    @SecurityRequirementsSet({})
    @Operation(
            operationId = "oauth2Revoke",
            summary = "Revoke a token (RFC 7009)",
            description =
                    "Form parameters `token` and optional `token_type_hint`. A refresh token ends its session, as "
                            + "`/auth/logout` does; an access token of a session for audience auth ends that session and its "
                            + "access tokens are refused within seconds (one for another audience ends nothing); a confidential client's own access token revokes every token of that "
                            + "client issued until now. Unknown, invalid and already revoked tokens are answered 200 alike. Public "
                            + "clients name their `client_id`; confidential ones authenticate.")
    @RequestBody(
            required = true,
            content = @Content(mediaType = FORM, schema = @Schema(ref = "#/components/schemas/OAuthTokenParameter")))
    @APIResponse(responseCode = "200", description = "Revoked, or nothing to revoke")
    @APIResponse(responseCode = "400", ref = "#/components/responses/OAuthError")
    @APIResponse(responseCode = "401", ref = "#/components/responses/OAuthInvalidClient")
    public Response revoke(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            InputStream body) {
        OAuthForm form = OAuthForm.read(contentType, body);
        Caller caller = clients.authenticate(authorization, form.get("client_id"), form.get("client_secret"));
        revoker.revoke(caller, form.required("token"), form.get("token_type_hint"));
        return Response.ok().header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    @POST
    @Path("introspect")
    @PermitAll
    @Operation(
            operationId = "oauth2Introspect",
            summary = "Introspect a token (RFC 7662)",
            description =
                    "For confidential clients only (HTTP Basic or `client_secret_post`). Form parameters `token` and "
                            + "optional `token_type_hint` (ignored). An access token that business would accept now, for an "
                            + "audience the calling client may request, is described (`active`, `sub`, `aud`, `exp`, `iat`, "
                            + "`client_id`, `token_type`, …); anything else (expired, revoked, malformed, foreign, for another "
                            + "audience, a refresh token) is `{\"active\":false}`.")
    @SecurityRequirement(name = "clientBasic")
    @RequestBody(
            required = true,
            content = @Content(mediaType = FORM, schema = @Schema(ref = "#/components/schemas/OAuthTokenParameter")))
    @APIResponse(
            responseCode = "200",
            description = "What the token is worth now; never cached",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/OAuthIntrospection")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/OAuthError")
    @APIResponse(responseCode = "401", ref = "#/components/responses/OAuthInvalidClient")
    public Response introspect(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            InputStream body) {
        OAuthForm form = OAuthForm.read(contentType, body);
        Caller caller = clients.confidentialOnly(authorization, form.get("client_id"), form.get("client_secret"));
        return Response.ok(introspection.introspect(caller.confidential(), form.required("token")))
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    /** {@code audience}, or RFC 8707's {@code resource} naming an audience; both at once must agree. */
    static String audience(OAuthForm form) {
        String audience = form.get("audience");
        String resource = form.get("resource");
        if (audience != null && resource != null && !audience.equals(resource)) {
            throw OAuthError.invalidRequest("audience and resource name different audiences");
        }
        return audience != null ? audience : resource;
    }

    private static Response accessOnly(AccessToken token) {
        return Response.ok(JSON.createObjectBuilder()
                        .add("access_token", token.value())
                        .add("token_type", "Bearer")
                        .add("expires_in", token.expiresIn())
                        .build())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .build();
    }
}
