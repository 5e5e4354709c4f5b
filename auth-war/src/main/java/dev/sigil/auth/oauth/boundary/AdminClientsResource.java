package dev.sigil.auth.oauth.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.auth.oauth.control.Clients;
import dev.sigil.auth.oauth.control.Clients.Created;
import dev.sigil.auth.oauth.entity.OAuthClient;
import dev.sigil.jwt.Roles;
import dev.sigil.web.Locations;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /auth/admin/clients}: the confidential OAuth 2.0 clients, for enabled administrators
 * (the path puts every method behind {@code AdministratorCheck}, and like every auth endpoint
 * it takes only tokens for audience auth). A secret is shown once, when it is made.
 */
@Path("admin/clients")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Admin: clients", description = "Confidential OAuth 2.0 clients, for group `admin` only")
public class AdminClientsResource {

    static final String CALLER = "Needs a token for audience `auth` of group `admin` whose account is still enabled "
            + "and in group `admin` (403 otherwise).";

    @Inject
    Clients clients;

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createClient",
            summary = "Register a confidential client",
            description = "Creates a client that gets access tokens for itself with the client credentials grant: "
                    + "subject = `client_id`, the given groups (never `admin`), one of the given audiences (each must "
                    + "be configured; the first is the default). The answer carries `client_secret`, 256 random bits "
                    + "shown this once; only its hash is stored. An id already taken, also by a public client or by a deleted client, is a 409. "
                    + CALLER)
    @SecurityRequirement(name = "bearer")
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ClientRegistration")))
    @APIResponse(
            responseCode = "201",
            description = "The client, with its secret",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ClientWithSecret")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "409", ref = "#/components/responses/Conflict")
    @APIResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    public Response create(
            @NotNull(message = "a JSON body is required") @Valid ClientRegistration registration,
            @Context UriInfo uri) {
        Created created = clients.create(registration.client_id(), registration.groups(), registration.audiences());
        return withSecret(Response.created(Locations.below(uri, created.client().clientId())), created);
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "listClients",
            summary = "List confidential clients",
            description = "Every client, oldest first, without secrets. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @APIResponse(
            responseCode = "200",
            description = "The clients",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ClientList")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public JsonObject list() {
        JsonArrayBuilder all = JSON.createArrayBuilder();
        clients.all().forEach(client -> all.add(json(client)));
        return JSON.createObjectBuilder().add("clients", all).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "getClient", summary = "Get a confidential client", description = CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The client id"))
    @APIResponse(
            responseCode = "200",
            description = "The client, without its secret",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Client")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public JsonObject get(@PathParam("id") String id) {
        return json(clients.get(id)).build();
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "deleteClient",
            summary = "Delete a confidential client",
            description = "The client can no longer authenticate, and every access token it holds is revoked: refused "
                    + "by auth at once and by other services within seconds. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The client id"))
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response delete(@PathParam("id") String id) {
        clients.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/secret")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            operationId = "newClientSecret",
            summary = "Give a confidential client a new secret",
            description = "The old secret stops working and the access tokens the client holds are revoked, as after "
                    + "a leak: the client gets new ones with the new secret, shown this once. " + CALLER)
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The client id"))
    @APIResponse(
            responseCode = "200",
            description = "The client, with its new secret",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/ClientWithSecret")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public Response newSecret(@PathParam("id") String id) {
        return withSecret(Response.ok(), clients.newSecret(id));
    }

    private static Response withSecret(Response.ResponseBuilder response, Created created) {
        return response.entity(json(created.client())
                        .add("client_secret", created.secret())
                        .build())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    static JsonObjectBuilder json(OAuthClient client) {
        return JSON.createObjectBuilder()
                .add("client_id", client.clientId())
                .add(
                        "groups",
                        JSON.createArrayBuilder(
                                client.groups().stream().sorted().toList()))
                .add("audiences", JSON.createArrayBuilder(client.audiences()))
                .add("created_at", client.createdAt().toString());
    }
}
