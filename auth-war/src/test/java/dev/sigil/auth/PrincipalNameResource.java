package dev.sigil.auth;

import dev.sigil.jwt.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Test only, added to {@link AuthComponentsIT}'s WAR: the name the container gives the
 * caller's principal, which no endpoint of the service shows.
 */
@Path("test/principal-name")
public class PrincipalNameResource {

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed(Roles.USER)
    @Produces(MediaType.TEXT_PLAIN)
    public String name() {
        return security.getUserPrincipal().getName();
    }
}
