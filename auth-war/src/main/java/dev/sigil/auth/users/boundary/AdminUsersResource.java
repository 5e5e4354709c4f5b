package dev.sigil.auth.users.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.users.control.Accounts;
import dev.sigil.auth.users.control.PasswordHasher;
import dev.sigil.auth.users.control.UserRegistry;
import dev.sigil.auth.users.entity.User;
import dev.sigil.web.QueryParams;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import dev.sigil.jwt.Callers;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code /auth/admin/users}: account administration, for group {@code admin} only. Disabling an
 * account ends its sessions; its access tokens expire on their own within minutes. The list
 * shows which accounts still have a password hash of weaker parameters than configured
 * ({@code password_upgrade_pending}): it is replaced at that user's next login.
 */
@Path("admin/users")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class AdminUsersResource {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;

    @Inject
    UserRegistry registry;

    @Inject
    Accounts accounts;

    @Inject
    PasswordHasher hasher;

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed(User.GROUP_ADMIN)
    public JsonObject list(@QueryParam("page") String page, @QueryParam("size") String size) {
        int pageNumber = QueryParams.wholeNumber("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE);
        int pageSize = QueryParams.wholeNumber("size", size, DEFAULT_SIZE, 1, MAX_SIZE);
        UserRegistry.Page result = registry.page(pageNumber, pageSize);
        JsonArrayBuilder users = JSON.createArrayBuilder();
        result.users().forEach(user -> users.add(JSON.createObjectBuilder(json(user))
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
    @RolesAllowed(User.GROUP_ADMIN)
    public JsonObject disable(@PathParam("id") String id) {
        return json(accounts.setEnabled(Callers.token(security).getSubject(), id, false));
    }

    @POST
    @Path("{id}/enable")
    @RolesAllowed(User.GROUP_ADMIN)
    public JsonObject enable(@PathParam("id") String id) {
        return json(accounts.setEnabled(Callers.token(security).getSubject(), id, true));
    }

    @PUT
    @Path("{id}/admin")
    @RolesAllowed(User.GROUP_ADMIN)
    public JsonObject grantAdmin(@PathParam("id") String id) {
        return json(accounts.setAdmin(Callers.token(security).getSubject(), id, true));
    }

    @DELETE
    @Path("{id}/admin")
    @RolesAllowed(User.GROUP_ADMIN)
    public JsonObject revokeAdmin(@PathParam("id") String id) {
        return json(accounts.setAdmin(Callers.token(security).getSubject(), id, false));
    }

    static JsonObject json(User user) {
        return MeResource.details(user).add("enabled", user.enabled()).build();
    }
}
