package dev.sigil.business.status.boundary;

import static dev.sigil.web.Jsons.JSON;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /business/status}: public, no token needed; answers while the service is up. */
@Path("status")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Status", description = "Whether the service is up")
public class StatusResource {

    private static final JsonObject OK =
            JSON.createObjectBuilder().add("status", "ok").build();

    @GET
    @PermitAll
    @Operation(
            operationId = "getStatus",
            summary = "Check that the service is up",
            description = "Public, no token needed.")
    @APIResponse(
            responseCode = "200",
            description = "The service is up",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ServiceStatus")))
    public JsonObject status() {
        return OK;
    }
}
