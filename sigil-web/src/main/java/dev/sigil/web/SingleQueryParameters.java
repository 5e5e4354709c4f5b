package dev.sigil.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;

/**
 * Refuses a query that names a parameter more than once ({@code ?all=false&all=true},
 * {@code ?size=5&size=500}): JAX-RS hands a resource the first value while a proxy, a cache or
 * a log may go by another, so one request would mean two things. JSON members and OAuth form
 * fields are held to the same rule.
 */
@Provider
public class SingleQueryParameters implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        for (Map.Entry<String, List<String>> parameter :
                request.getUriInfo().getQueryParameters(true).entrySet()) {
            if (parameter.getValue().size() > 1) {
                String name = parameter.getKey();
                throw ApiException.invalidField(
                        name.length() > 64 ? name.substring(0, 64) + "..." : name, "given more than once");
            }
        }
    }
}
