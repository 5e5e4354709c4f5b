package dev.sigil.business.orders.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.business.orders.control.OrderBook;
import dev.sigil.business.orders.control.OrderBook.Caller;
import dev.sigil.business.orders.entity.Order;
import dev.sigil.data.KeyContention;
import dev.sigil.jwt.Callers;
import dev.sigil.jwt.Roles;
import dev.sigil.web.ApiException;
import dev.sigil.web.Locations;
import dev.sigil.web.QueryParams;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.PersistenceException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameters;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /business/orders}: a caller's orders. The owner of a new order is the token's subject;
 * administrators may also list ({@code ?all=true}), read and cancel everyone's; a service of group
 * {@code orders-reader} may list everyone's and change none.
 */
@Path("orders")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Orders", description = "The caller's orders; administrators may see and cancel everyone's")
public class OrdersResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY = Pattern.compile("[\\x21\\x23-\\x2b\\x2d-\\x5b\\x5d-\\x7e]{1,255}");

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;

    @Inject
    OrderBook book;

    @Inject
    Callers callers;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.USER, Roles.ADMIN})
    @Operation(
            operationId = "placeOrder",
            summary = "Place an order",
            description = "Places an open order owned by the caller (the access token's subject). Needs a token "
                    + "of group `user` or `admin`. With an `Idempotency-Key`, a request repeated with the same key "
                    + "(a retry after a lost answer) answers the order the key placed, and places nothing new.")
    @SecurityRequirement(name = "bearer")
    @Parameters(
            @Parameter(
                    name = IDEMPOTENCY_KEY,
                    in = ParameterIn.HEADER,
                    description = "A key of the client's choosing for this placement, unique among the caller's: "
                            + "1 to 255 visible ASCII characters without quotes, commas or backslashes, optionally quoted "
                            + "as a structured-field string. Kept with the order.",
                    schema = @Schema(type = SchemaType.STRING, maxLength = 257)))
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/OrderRequest")))
    @APIResponse(
            responseCode = "201",
            description = "The order was placed",
            headers =
                    @Header(
                            name = "Location",
                            description = "The new order's path, without scheme and host",
                            schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Order")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "413", ref = "#/components/responses/PayloadTooLarge")
    @APIResponse(responseCode = "415", ref = "#/components/responses/UnsupportedMediaType")
    @APIResponse(
            responseCode = "409",
            description = "A request with the same Idempotency-Key is still being placed; try again",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Error")))
    @APIResponse(
            responseCode = "422",
            description = "The Idempotency-Key placed an order of another item or quantity",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Error")))
    public Response place(
            @NotNull(message = "a JSON body is required") @Valid OrderRequest request,
            @Context HttpHeaders headers,
            @Context UriInfo uri) {
        Caller caller = caller();
        String key = idempotencyKey(headers.getRequestHeader(IDEMPOTENCY_KEY));
        int quantity = request.quantity().intValueExact();
        Order order;
        try {
            order = book.place(caller, request.item(), quantity, key);
        } catch (PersistenceException lost) { // another request with the key placed it meanwhile
            if (key == null || !KeyContention.causes(lost)) {
                throw lost; // a failure of the database, not of the key: a 5xx, logged
            }
            // or is still placing it: its insert holds the key until it commits, and H2 gives
            // up waiting after its lock timeout (RFC draft "Idempotency-Key": 409, try again)
            order = book.placedBefore(caller, key, request.item(), quantity)
                    .orElseThrow(() ->
                            new ApiException(409, "A request with this Idempotency-Key is in progress; try again"));
        }
        return Response.created(Locations.below(uri, order.id()))
                .entity(json(order))
                .build();
    }

    /**
     * The request's {@code Idempotency-Key}, or null: 1 to 255 visible ASCII characters, without
     * quotes, commas (two keys folded into one header line) or backslashes, optionally in the
     * quotes of a structured-field string.
     *
     * @throws ApiException 400 for a key of another form, or for two of them
     */
    static String idempotencyKey(List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        String key = values.get(0).strip();
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            key = key.substring(1, key.length() - 1);
        }
        if (values.size() > 1 || !KEY.matcher(key).matches()) {
            throw new ApiException(
                    400,
                    "Idempotency-Key must be one value of 1 to 255 visible ASCII characters, without quotes, commas or backslashes");
        }
        return key;
    }

    @GET
    @RolesAllowed({Roles.USER, Roles.ADMIN, Roles.ORDERS_READER})
    @Operation(
            operationId = "listOrders",
            summary = "List orders",
            description = "One page of the caller's orders, newest first; with `all=true` every order (403 for "
                    + "anyone but administrators and group `orders-reader`). Needs a token of group `user`, `admin` or "
                    + "`orders-reader` (a service's read-only access, for example a client credentials token).")
    @SecurityRequirement(name = "bearer")
    @Parameters({
        @Parameter(
                name = "page",
                in = ParameterIn.QUERY,
                description = "The page, counted from 0; 0 when absent",
                schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = "21474836")),
        @Parameter(
                name = "size",
                in = ParameterIn.QUERY,
                description = "Orders per page; 20 when absent",
                schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "100")),
        @Parameter(
                name = "all",
                in = ParameterIn.QUERY,
                description =
                        "`true` for every order, not just the caller's (groups `admin` and `orders-reader` only); "
                                + "false when absent",
                schema = @Schema(type = SchemaType.BOOLEAN))
    })
    @APIResponse(
            responseCode = "200",
            description = "One page of orders",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/OrderPage")))
    @APIResponse(responseCode = "400", ref = "#/components/responses/BadRequest")
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    public JsonObject list(
            @QueryParam("page") String page, @QueryParam("size") String size, @QueryParam("all") String all) {
        Caller caller = caller();
        boolean everyone = "true".equals(all);
        if (all != null && !all.isEmpty() && !everyone && !"false".equals(all)) { // empty: absent, as page= and size=
            throw ApiException.invalidField("all", "must be true or false");
        }
        if (everyone && !caller.admin() && !callers.inRole(Roles.ORDERS_READER)) {
            throw new ForbiddenException();
        }
        int pageNumber = QueryParams.wholeNumber("page", page, 0, 0, Integer.MAX_VALUE / MAX_SIZE);
        int pageSize = QueryParams.wholeNumber("size", size, DEFAULT_SIZE, 1, MAX_SIZE);
        OrderBook.Page result = book.page(caller, everyone, pageNumber, pageSize);
        JsonArrayBuilder orders = JSON.createArrayBuilder();
        result.orders().forEach(order -> orders.add(json(order)));
        return JSON.createObjectBuilder()
                .add("orders", orders)
                .add("page", pageNumber)
                .add("size", pageSize)
                .add("total", result.total())
                .build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.USER, Roles.ADMIN})
    @Operation(
            operationId = "getOrder",
            summary = "Get an order",
            description = "The order, to its owner or an administrator; to anyone else it does not exist (404). "
                    + "Needs a token of group `user` or `admin`.")
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The order id"))
    @APIResponse(
            responseCode = "200",
            description = "The order",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Order")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public JsonObject get(@PathParam("id") String id) {
        return book.find(caller(), id).map(OrdersResource::json).orElseThrow(OrdersResource::notFound);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.USER, Roles.ADMIN})
    @Operation(
            operationId = "cancelOrder",
            summary = "Cancel an order",
            description = "Cancels the order; cancelling a cancelled order changes nothing (idempotent). For its "
                    + "owner or an administrator; to anyone else it does not exist (404). Needs a token of group "
                    + "`user` or `admin`.")
    @SecurityRequirement(name = "bearer")
    @Parameters(@Parameter(name = "id", in = ParameterIn.PATH, required = true, description = "The order id"))
    @APIResponse(
            responseCode = "200",
            description = "The cancelled order",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(ref = "#/components/schemas/Order")))
    @APIResponse(responseCode = "401", ref = "#/components/responses/Unauthorized")
    @APIResponse(responseCode = "403", ref = "#/components/responses/Forbidden")
    @APIResponse(responseCode = "404", ref = "#/components/responses/NotFound")
    public JsonObject cancel(@PathParam("id") String id) {
        return book.cancel(caller(), id).map(OrdersResource::json).orElseThrow(OrdersResource::notFound);
    }

    private Caller caller() {
        return new Caller(callers.subject(), callers.inRole(Roles.ADMIN));
    }

    private static ApiException notFound() {
        return new ApiException(404, "Order not found");
    }

    static JsonObject json(Order order) {
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", order.id())
                .add("item", order.item())
                .add("quantity", order.quantity())
                .add("status", order.status().name())
                .add("owner", order.owner())
                .add("created_at", order.createdAt().toString());
        if (order.cancelledAt() != null) {
            json.add("cancelled_at", order.cancelledAt().toString());
        }
        return json.build();
    }
}
