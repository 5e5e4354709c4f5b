package dev.sigil.business.dashboard.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.business.orders.control.OpenOrders;
import dev.sigil.jwt.Callers;
import dev.sigil.jwt.Roles;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /business/dashboard}: the first thing a signed-in user sees, with the number of
 * their open orders.
 */
@Path("dashboard")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dashboard", description = "The first thing a signed-in user sees")
public class DashboardResource {

    @Inject
    Callers callers;

    @Inject
    OpenOrders openOrders;

    @GET
    @RolesAllowed(Roles.USER)
    @Operation(
            operationId = "getDashboard",
            summary = "Get the caller's dashboard",
            description = "Greets the caller (the access token's subject) with the number of their open orders. "
                    + "Needs a token of group `user`.")
    @SecurityRequirement(name = "bearer")
    @APIResponse(
            responseCode = "200",
            description = "The caller's dashboard",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Dashboard")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public JsonObject dashboard() {
        String subject = callers.subject();
        return JSON.createObjectBuilder()
                .add("message", "Access granted")
                .add("user_id", subject)
                .add("open_orders", openOrders.count(subject))
                .build();
    }
}
