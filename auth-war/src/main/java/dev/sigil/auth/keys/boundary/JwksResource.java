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

/**
 * {@code GET /auth/.well-known/jwks.json}: the public keys that verify this service's tokens.
 * {@code max-age} tells validators how long they may keep the document; a new key is
 * announced here at least that long before it signs anything.
 */
@Path(".well-known")
@DenyAll
public class JwksResource {

    static final String JWK_SET_JSON = "application/jwk-set+json";

    @Inject
    KeyRing keys;

    @Inject
    @ConfigProperty(name = "auth.jwks.max-age-seconds", defaultValue = "60")
    int maxAgeSeconds;

    @GET
    @Path("jwks.json")
    @PermitAll
    @Produces({"application/json", JWK_SET_JSON})
    public Response jwks() {
        return Response.ok(keys.jwks(), "application/json")
                .header("Cache-Control", "public, max-age=" + maxAgeSeconds)
                .build();
    }
}
