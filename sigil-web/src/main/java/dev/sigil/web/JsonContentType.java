package dev.sigil.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Labels every JSON answer as what it is: UTF-8 JSON. Content negotiation copies the parameters
 * of the client's {@code Accept} into the answer's type: without this filter, {@code Accept:
 * application/json; charset=UTF-16} would get UTF-8 bytes labelled UTF-16, and {@code charset=foo}
 * would be echoed, so a client decoding by the label would read garbage. Such a type is set back
 * to its bare form (JSON has no charset parameter, RFC 8259); a type with {@code charset=UTF-8}
 * alone, as an answer may set it, is kept.
 */
@Provider
public class JsonContentType implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        MediaType type = response.getMediaType();
        if (type != null && !type.getParameters().isEmpty() && json(type) && !utf8Only(type.getParameters())) {
            response.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, new MediaType(type.getType(), type.getSubtype()));
        }
    }

    static boolean json(MediaType type) {
        return type.getSubtype().equalsIgnoreCase("json")
                || type.getSubtype().toLowerCase(Locale.ROOT).endsWith("+json");
    }

    static boolean utf8Only(Map<String, String> parameters) {
        return parameters.size() == 1
                && StandardCharsets.UTF_8.name().equalsIgnoreCase(parameters.get(MediaType.CHARSET_PARAMETER));
    }
}
