package dev.sigil.business.dashboard.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.business.BusinessApplication;
import dev.sigil.business.orders.control.OrderBook;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import dev.sigil.jwt.Callers;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/**
 * {@code GET /business/dashboard}: the first thing a signed-in user sees, with the number of
 * their open orders.
 */
@Path("dashboard")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    @Context
    SecurityContext security;

    @Inject
    OrderBook orders;

    @GET
    @RolesAllowed(BusinessApplication.USER)
    public JsonObject dashboard() {
        String subject = Callers.token(security).getSubject();
        return JSON.createObjectBuilder()
                .add("message", "Access granted")
                .add("user_id", subject)
                .add("open_orders", orders.openOrders(subject))
                .build();
    }
}
