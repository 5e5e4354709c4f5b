package dev.sigil.web;

import jakarta.ws.rs.core.UriInfo;
import java.net.URI;

/**
 * The {@code Location} of a resource a request created: a path without scheme and host (RFC 9110
 * allows a relative reference). An absolute URI would be built from what the container saw,
 * which behind a proxy that ends TLS is {@code http} and the {@code Host} the client sent; a
 * client following it would send its bearer token in clear. {@link RestProperties} keeps Jersey
 * from making the path absolute again.
 */
public final class Locations {

    private Locations() {}

    /** The request's path with one more segment, {@code segment} escaped as a path segment. */
    public static URI below(UriInfo request, String segment) {
        return URI.create(
                request.getAbsolutePathBuilder().segment(segment).build().getRawPath());
    }
}
