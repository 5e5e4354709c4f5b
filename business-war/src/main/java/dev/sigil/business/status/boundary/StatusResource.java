package dev.sigil.business.status.boundary;

import static dev.sigil.web.Jsons.JSON;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /business/status}: public, no token needed; answers while the service is up. */
@Path("status")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private static final JsonObject OK = JSON.createObjectBuilder().add("status", "ok").build();

    @GET
    @PermitAll
    public JsonObject status() {
        return OK;
    }
}
