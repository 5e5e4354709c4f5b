package dev.sigil.auth.keys.boundary;

import dev.sigil.auth.keys.control.KeyRing;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /auth/.well-known/jwks.json}: the public keys that verify this service's tokens.
 * {@code max-age} tells validators how long they may keep the document; a new key is
 * announced here at least that long before it signs anything.
 */
@Path(".well-known")
@DenyAll
@Tag(name = "Public keys", description = "The public keys that verify this service's access tokens")
public class JwksResource {

    static final String JWK_SET_JSON = "application/jwk-set+json";

    @Inject
    KeyRing keys;

    @Inject
    @ConfigProperty(name = "auth.jwks.max-age-seconds")
    int maxAgeSeconds;

    @GET
    @Path("jwks.json")
    @PermitAll
    @Produces({"application/json", JWK_SET_JSON})
    @Operation(
            operationId = "getJwks",
            summary = "Get the public signing keys (JWKS)",
            description = "Every published key: the one that signs, a new one announced before it signs and old "
                    + "ones whose tokens may still be valid. Always sent as `application/json`. Validators may "
                    + "cache the set for `max-age`; a new key is published at least that long before it signs.")
    @APIResponse(
            responseCode = "200",
            description = "The JSON Web Key Set (RFC 7517)",
            headers =
                    @Header(
                            name = "Cache-Control",
                            description = "public, max-age=<auth.jwks.max-age-seconds> (60 by default)",
                            schema = @Schema(type = SchemaType.STRING)),
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(ref = "#/components/schemas/JsonWebKeySet")))
    public Response jwks() {
        return Response.ok(keys.jwks(), "application/json")
                .header("Cache-Control", "public, max-age=" + maxAgeSeconds)
                .build();
    }
}
