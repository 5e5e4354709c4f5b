package dev.sigil.auth.keys.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.keys.control.KeySchedule.Status;
import dev.sigil.jwt.Roles;
import dev.sigil.web.ApiException;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /auth/admin/keys}: the signing keys and their rotation, for group {@code admin} only.
 * Private parts never leave the service.
 */
@Path("admin/keys")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: keys", description = "The signing keys and their rotation, for group `admin` only")
public class AdminKeysResource {

    static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");

    @Inject
    KeyRing keys;

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "listSigningKeys",
            summary = "List the signing keys",
            description = "Every published key and where it stands in its rotation; never a private part. "
                    + "Needs a token of group `admin`.")
    @SecurityRequirement(name = "bearer")
    @APIResponse(
            responseCode = "200",
            description = "The published keys, in activation order",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/SigningKeyList")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public JsonObject list() {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        keys.statuses().forEach(status -> list.add(json(status)));
        return JSON.createObjectBuilder().add("keys", list).build();
    }

    /**
     * Publishes a new key now; it signs once consumers have had time to fetch it. Answers 202:
     * the rotation completes at {@code activates_at}.
     *
     * @param algorithm RS256 or ES256; absent for the configured one
     */
    @POST
    @Path("rotate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "rotateSigningKey",
            summary = "Rotate the signing key",
            description = "Publishes a new key now; it starts signing once consumers have had time to fetch it "
                    + "(`activates_at`, by default two minutes later), and the old key stays published until every "
                    + "token it signed has expired. At most 16 keys are published at once: 409 beyond. Needs a token of group "
                    + "`admin`.")
    @SecurityRequirement(name = "bearer")
    @Parameters(
            @Parameter(
                    name = "algorithm",
                    in = ParameterIn.QUERY,
                    description = "The new key's algorithm; absent for the configured one (`auth.keys.algorithm`)",
                    schema =
                            @Schema(
                                    type = SchemaType.STRING,
                                    enumeration = {"RS256", "ES256"})))
    @APIResponse(
            responseCode = "202",
            description = "The new key, published and due to sign from `activates_at`",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/SigningKeyStatus")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    public Response rotate(@QueryParam("algorithm") String algorithm) {
        if (algorithm != null && !ALGORITHMS.contains(algorithm)) {
            throw ApiException.invalidField("algorithm", "must be RS256 or ES256");
        }
        return Response.accepted(json(keys.rotate(algorithm))).build();
    }

    static JsonObject json(Status status) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("kid", status.key().kid())
                .add("alg", status.key().algorithm())
                .add("state", status.state().name().toLowerCase())
                .add("created_at", status.key().createdAt().toString())
                .add("activates_at", status.key().activatesAt().toString());
        add(json, "retires_at", status.retiresAt());
        add(json, "removes_at", status.removesAt());
        return json.build();
    }

    private static void add(JsonObjectBuilder json, String name, Instant instant) {
        if (instant != null) {
            json.add(name, instant.toString());
        }
    }
}
