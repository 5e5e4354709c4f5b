package dev.sigil.web;

import java.util.Map;

/** What each service's REST application sets on the platform's JAX-RS implementation (Jersey). */
public final class RestProperties {

    /**
     * Jersey's WADL off: on, it describes every resource at {@code /application.wadl} and in the
     * body of every {@code OPTIONS} answer, naming Jersey and its version; the OpenAPI document is
     * the services' one description. A relative {@code Location} left as it is ({@link Locations}),
     * not resolved against the scheme and host the container saw.
     */
    public static final Map<String, Object> ALL = Map.of(
            "jersey.config.server.wadl.disableWadl", true,
            "jersey.config.server.headers.location.relative.resolution.disabled", true);

    private RestProperties() {}
}
