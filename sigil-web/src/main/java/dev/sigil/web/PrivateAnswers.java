package dev.sigil.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * An answer to a request that carries credentials is the caller's own (their orders, their
 * account): {@code Cache-Control: no-store}, unless the resource chose its own. Shared caches
 * already leave such answers alone (RFC 9111 section 3.5), but a browser's or an HTTP client
 * library's private cache would keep them on disk after the token is gone.
 */
@Provider
public class PrivateAnswers implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null
                && !response.getHeaders().containsKey(HttpHeaders.CACHE_CONTROL)) {
            response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
        }
    }
}
