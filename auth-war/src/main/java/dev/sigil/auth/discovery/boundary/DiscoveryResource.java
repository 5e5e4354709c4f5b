package dev.sigil.auth.discovery.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.oauth.control.TokenGrants;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /auth/.well-known/openid-configuration} and {@code /oauth-authorization-server}
 * (RFC 8414): where a client library or a validating service finds the issuer, its keys and
 * its endpoints. Both carry the same metadata, and name only endpoints that speak the standard
 * the name stands for: the OAuth 2.0 token, revocation and introspection endpoints, userinfo and
 * the JWKS; never the JSON API. Sigil has no authorization endpoint and issues no ID tokens, so
 * {@code response_types_supported} is empty and no ID token algorithm is claimed. All URLs
 * derive from the issuer, which is the tokens' {@code iss}.
 */
@Path(".well-known")
@DenyAll
@Tag(name = "Discovery", description = "Where clients and validating services find the issuer, keys and endpoints")
public class DiscoveryResource {

    @Inject
    @ConfigProperty(name = "auth.token.issuer")
    String issuer;

    @Inject
    @ConfigProperty(name = "auth.jwks.max-age-seconds")
    int maxAgeSeconds;

    @Inject
    TokenGrants grants;

    @GET
    @Path("openid-configuration")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "getOpenIdConfiguration",
            summary = "Get the discovery document",
            description = "The issuer, its JWKS URL and its OAuth 2.0 endpoints, in the shape of OpenID Connect "
                    + "Discovery; the same metadata as `/auth/.well-known/oauth-authorization-server`. All URLs derive "
                    + "from the issuer (`auth.token.issuer`), this service's public base URL and the tokens' `iss`.")
    @APIResponse(
            responseCode = "200",
            description = "The discovery document",
            headers =
                    @Header(
                            name = "Cache-Control",
                            description = "public, max-age=<auth.jwks.max-age-seconds> (60 by default)",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/DiscoveryDocument")))
    public Response openIdConfiguration() {
        return document();
    }

    @GET
    @Path("oauth-authorization-server")
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "getAuthorizationServerMetadata",
            summary = "Get the authorization server metadata",
            description = "RFC 8414 metadata: the same document as `/auth/.well-known/openid-configuration`.")
    @APIResponse(
            responseCode = "200",
            description = "The metadata",
            headers =
                    @Header(
                            name = "Cache-Control",
                            description = "public, max-age=<auth.jwks.max-age-seconds> (60 by default)",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/DiscoveryDocument")))
    public Response authorizationServerMetadata() {
        return document();
    }

    private Response document() {
        return Response.ok(metadata())
                .header("Cache-Control", "public, max-age=" + maxAgeSeconds)
                .build();
    }

    /** The metadata both documents carry. */
    JsonObject metadata() {
        JsonArrayBuilder grantTypes = JSON.createArrayBuilder();
        if (grants.passwordGrant()) { // the one grant that gives an OAuth client a refresh token
            grantTypes.add("password").add("refresh_token");
        }
        grantTypes.add("client_credentials");
        List<String> clientAuthentication = List.of("client_secret_basic", "client_secret_post");
        return JSON.createObjectBuilder()
                .add("issuer", issuer)
                .add("jwks_uri", issuer + "/.well-known/jwks.json")
                .add("token_endpoint", issuer + "/oauth2/token")
                .add("revocation_endpoint", issuer + "/oauth2/revoke")
                .add("introspection_endpoint", issuer + "/oauth2/introspect")
                .add("userinfo_endpoint", issuer + "/users/me")
                .add("grant_types_supported", grantTypes)
                .add("response_types_supported", JSON.createArrayBuilder())
                .add("subject_types_supported", JSON.createArrayBuilder(List.of("public")))
                .add("scopes_supported", JSON.createArrayBuilder())
                .add(
                        "token_endpoint_auth_methods_supported",
                        JSON.createArrayBuilder(List.of("client_secret_basic", "client_secret_post", "none")))
                .add(
                        "revocation_endpoint_auth_methods_supported",
                        JSON.createArrayBuilder(List.of("client_secret_basic", "client_secret_post", "none")))
                .add("introspection_endpoint_auth_methods_supported", JSON.createArrayBuilder(clientAuthentication))
                .add(
                        "claims_supported",
                        JSON.createArrayBuilder(List.of(
                                "iss", "sub", "upn", "groups", "aud", "iat", "exp", "jti", "client_id", "email")))
                .build();
    }
}
