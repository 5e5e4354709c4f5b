package dev.sigil.auth.keys.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.keys.control.KeyRing;
import dev.sigil.auth.keys.control.KeySchedule.Status;
import dev.sigil.auth.users.entity.User;
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

/**
 * {@code /auth/admin/keys}: the signing keys and their rotation, for group {@code admin} only.
 * Private parts never leave the service.
 */
@Path("admin/keys")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class AdminKeysResource {

    static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");

    @Inject
    KeyRing keys;

    @GET
    @RolesAllowed(User.GROUP_ADMIN)
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
    @RolesAllowed(User.GROUP_ADMIN)
    public Response rotate(@QueryParam("algorithm") String algorithm) {
        if (algorithm != null && !ALGORITHMS.contains(algorithm)) {
            throw new ApiException(400, "algorithm: must be RS256 or ES256");
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
