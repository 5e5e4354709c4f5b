package dev.sigil.auth.discovery.boundary;

import static dev.sigil.web.Jsons.JSON;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
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
 * {@code GET /auth/.well-known/openid-configuration}: where a client or a validating service
 * finds the issuer, its keys and its endpoints, in the shape of OpenID Connect Discovery. All
 * URLs derive from the issuer, which is this service's public base URL.
 */
@Path(".well-known/openid-configuration")
@DenyAll
@Tag(name = "Discovery", description = "Where clients and validating services find the issuer, keys and endpoints")
public class DiscoveryResource {

    @Inject
    @ConfigProperty(name = "auth.token.issuer", defaultValue = "http://localhost:8080/auth")
    String issuer;

    @Inject
    @ConfigProperty(name = "auth.jwks.max-age-seconds", defaultValue = "60")
    int maxAgeSeconds;

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getOpenIdConfiguration", summary = "Get the discovery document",
            description = "The issuer, its JWKS URL and endpoints, in the shape of OpenID Connect Discovery. All "
                    + "URLs derive from the issuer (`auth.token.issuer`), this service's public base URL.")
    @APIResponse(responseCode = "200", description = "The discovery document",
            headers = @Header(name = "Cache-Control",
                    description = "public, max-age=<auth.jwks.max-age-seconds> (60 by default)",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(ref = "#/components/schemas/DiscoveryDocument")))
    public Response configuration() {
        JsonObject document = JSON.createObjectBuilder()
                .add("issuer", issuer)
                .add("jwks_uri", issuer + "/.well-known/jwks.json")
                .add("token_endpoint", issuer + "/login")
                .add("refresh_endpoint", issuer + "/refresh")
                .add("revocation_endpoint", issuer + "/logout")
                .add("end_session_endpoint", issuer + "/logout-all")
                .add("userinfo_endpoint", issuer + "/users/me")
                .add("registration_endpoint", issuer + "/users")
                .add("id_token_signing_alg_values_supported", JSON.createArrayBuilder(List.of("RS256", "ES256")))
                .add("token_endpoint_auth_methods_supported", JSON.createArrayBuilder(List.of("none")))
                .add("claims_supported", JSON.createArrayBuilder(
                        List.of("iss", "sub", "upn", "groups", "aud", "iat", "exp", "jti")))
                .build();
        return Response.ok(document).header("Cache-Control", "public, max-age=" + maxAgeSeconds).build();
    }
}
