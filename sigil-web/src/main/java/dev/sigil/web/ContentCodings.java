package dev.sigil.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Locale;

/**
 * Refuses a request body sent with a content coding (RFC 9110 section 8.4): nothing decodes
 * one, so a gzipped body was read as it came and refused as "not UTF-8", and a plain body
 * labelled gzip was read as plain. 415, as RFC 9110 section 15.5.16 asks for an unsupported
 * coding; {@code identity} (no coding) is accepted.
 */
@Provider
public class ContentCodings implements ContainerRequestFilter {

    /** Longer values are cut in the answer's detail. */
    private static final int SHOWN = 32;

    @Override
    public void filter(ContainerRequestContext request) {
        List<String> values = request.getHeaders().get(HttpHeaders.CONTENT_ENCODING);
        if (values == null) {
            return;
        }
        for (String value : values) {
            for (String coding : value.split(",", -1)) {
                if (!coding.strip().toLowerCase(Locale.ROOT).equals("identity")) {
                    String shown = value.strip();
                    throw new ApiException(
                            415,
                            "Content-Encoding " + (shown.length() > SHOWN ? shown.substring(0, SHOWN) + "..." : shown)
                                    + " is not supported: send the body without a content coding");
                }
            }
        }
    }
}
