package dev.sigil.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The OAuth 2.0 endpoints of a service, named by the context parameter {@value #PARAMETER}
 * (paths after the context path, separated by spaces). Their clients read the protocol's error
 * ({@code {"error", "error_description"}}, RFC 6749 section 5.2), so Sigil's own refusals there
 * are answered in that shape.
 * <p>
 * A request's path is compared as JAX-RS matches it, so that every spelling that reaches an
 * endpoint counts: without path parameters ({@code ;…}), percent-decoded, without a trailing
 * slash ({@code /oauth2/token/} and {@code /oauth2/%74oken} are the token endpoint).
 */
public final class OAuthPaths {

    /** The context parameter naming the OAuth 2.0 endpoints. */
    public static final String PARAMETER = "dev.sigil.web.oauth-paths";

    private OAuthPaths() {}

    static Set<String> parse(String parameter) {
        return parameter == null
                ? Set.of()
                : Arrays.stream(parameter.split("\\s+"))
                        .filter(path -> !path.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether this request, or on an error dispatch the request that failed, is to an OAuth 2.0 endpoint. */
    static boolean isOAuth(HttpServletRequest request) {
        Set<String> paths = parse(request.getServletContext().getInitParameter(PARAMETER));
        if (paths.isEmpty()) {
            return false;
        }
        Object failed = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String uri = failed instanceof String path ? path : request.getRequestURI();
        String context = request.getContextPath();
        return uri != null && uri.startsWith(context) && paths.contains(normalized(uri.substring(context.length())));
    }

    /** The raw path as JAX-RS matches it; unchanged where it cannot be decoded. */
    static String normalized(String rawPath) {
        String path = Arrays.stream(rawPath.split("/", -1))
                .map(segment -> segment.contains(";") ? segment.substring(0, segment.indexOf(';')) : segment)
                .collect(Collectors.joining("/"));
        try {
            path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return path;
        }
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
