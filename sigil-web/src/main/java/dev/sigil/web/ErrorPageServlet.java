package dev.sigil.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The error page for statuses the container sends itself, outside JAX-RS: above all the 401 of
 * the MicroProfile JWT mechanism when a token fails validation, which would otherwise be an HTML
 * page without a {@code WWW-Authenticate} header. It answers in the same JSON shape, with the
 * Bearer challenge on 401 and 403.
 * <p>
 * The paths named by the context parameter {@value #OAUTH_PATHS} (after the context path,
 * separated by spaces) are OAuth 2.0 endpoints, whose clients read the protocol's error: there
 * a 400 (a header Jersey could not parse, such as a malformed {@code Content-Type}) is
 * {@code invalid_request}, and a 401 (a Bearer token the MicroProfile JWT mechanism refused,
 * which is no client authentication anyway) is {@code invalid_client} with the Basic challenge.
 */
@WebServlet(name = "sigil-error-page", urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {

    static final String PATH = "/sigil-error";

    /** The context parameter naming the OAuth 2.0 endpoints. */
    public static final String OAUTH_PATHS = "dev.sigil.web.oauth-paths";

    private static final long serialVersionUID = 1L;

    private Set<String> oauthPaths = Set.of();

    @Override
    public void init() {
        oauthPaths = paths(getServletContext().getInitParameter(OAUTH_PATHS));
    }

    static Set<String> paths(String parameter) {
        return parameter == null
                ? Set.of()
                : Arrays.stream(parameter.split("\\s+"))
                        .filter(path -> !path.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            write(response, 404, "Not Found");
            return;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        if ((status == 400 || status == 401) && oauthPaths.contains(requestedPath(request))) {
            writeOAuth(response, status, Realm.of(request.getContextPath()));
            return;
        }
        switch (status) {
            case 401 -> write(response, Realm.rejected(request.getContextPath(), request.getHeader("Authorization")));
            case 403 ->
                write(
                        response,
                        request.getUserPrincipal() == null
                                ? BearerChallenge.missing(Realm.of(request.getContextPath()))
                                : BearerChallenge.forbidden(Realm.of(request.getContextPath())));
            default -> write(response, status, StatusDetails.of(status));
        }
    }

    /** The path of the request that failed, after the context path. */
    static String requestedPath(HttpServletRequest request) {
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String context = request.getContextPath();
        return uri instanceof String path && path.startsWith(context) ? path.substring(context.length()) : "";
    }

    private static void writeOAuth(HttpServletResponse response, int status, String realm) throws IOException {
        response.setHeader("Pragma", "no-cache");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", ErrorResponses.basicChallenge(realm));
            writeJson(
                    response,
                    status,
                    ErrorResponses.oauthBody(
                            "invalid_client",
                            "Client authentication is HTTP Basic, or client_id in the form; the Bearer token was refused"));
        } else {
            writeJson(
                    response,
                    status,
                    ErrorResponses.oauthBody(
                            "invalid_request", "The request could not be read: a header is malformed"));
        }
    }

    private static void write(HttpServletResponse response, BearerChallenge challenge) throws IOException {
        response.setHeader("WWW-Authenticate", challenge.header());
        write(response, challenge.status(), challenge.detail());
    }

    private static void write(HttpServletResponse response, int status, String detail) throws IOException {
        writeJson(response, status, ErrorResponses.body(detail));
    }

    private static void writeJson(HttpServletResponse response, int status, String body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(body);
    }
}
