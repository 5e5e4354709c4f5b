package dev.sigil.business.orders.boundary;

import static dev.sigil.web.Jsons.JSON;

import dev.sigil.business.BusinessApplication;
import dev.sigil.business.orders.control.OrderBook;
import dev.sigil.business.orders.control.OrderBook.Caller;
import dev.sigil.business.orders.entity.Order;
import dev.sigil.web.ApiException;
import dev.sigil.web.QueryParams;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.RolesAllowed;
import dev.sigil.jwt.Callers;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /business/orders}: a caller's orders. The owner of a new order is the token's subject;
 * administrators may also list ({@code ?all=true}), read and cancel everyone's.
 */
@Path("orders")
@DenyAll
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {

    static final int DEFAULT_SIZE = 20;
    static final int MAX_SIZE = 100;

    @Inject
    OrderBook book;

    @Context
    SecurityContext security;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({BusinessApplication.USER, BusinessApplication.ADMIN})
    public Response place(@NotNull(message = "a JSON body is required") @Valid OrderRequest request, @Context UriInfo uri) {
        Order order = book.place(caller(), request.item(), request.quantity().intValueExact());
        return Response.created(uri.getAbsolutePathBuilder().path(order.id()).build())
                .entity(json(order))
                .build();
    }

    @GET
    @RolesAllowed({BusinessApplication.USER, BusinessApplication.ADMIN})
    public JsonObject list(@QueryParam("page") String page, @QueryParam("size") String size,
            @QueryParam("all") String all) {
        Caller caller = caller();
        boolean everyone = "true".equals(all);
        if (all != null && !everyone && !"false".equals(all)) {
            throw new ApiException(400, "all: must be true or false");
        }
        if (everyone && !caller.admin()) {
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
    @RolesAllowed({BusinessApplication.USER, BusinessApplication.ADMIN})
    public JsonObject get(@PathParam("id") String id) {
        return book.find(caller(), id).map(OrdersResource::json).orElseThrow(OrdersResource::notFound);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({BusinessApplication.USER, BusinessApplication.ADMIN})
    public JsonObject cancel(@PathParam("id") String id) {
        return book.cancel(caller(), id).map(OrdersResource::json).orElseThrow(OrdersResource::notFound);
    }

    private Caller caller() {
        return new Caller(Callers.token(security).getSubject(), security.isUserInRole(BusinessApplication.ADMIN));
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
