package dev.sigil.business.dashboard.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.business.BusinessApplication;
import dev.sigil.business.orders.control.OrderBook;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code GET /business/dashboard}: the first thing a signed-in user sees, with the number of
 * their open orders.
 */
@Path("dashboard")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    @Inject
    JsonWebToken token;

    @Inject
    OrderBook orders;

    @GET
    @RolesAllowed(BusinessApplication.USER)
    public JsonObject dashboard() {
        return JSON.createObjectBuilder()
                .add("message", "Access granted")
                .add("user_id", token.getSubject())
                .add("open_orders", orders.openOrders(token.getSubject()))
                .build();
    }
}
