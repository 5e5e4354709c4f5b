package dev.sigil.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page for statuses the container sends itself, outside JAX-RS: above all the 401 of
 * the MicroProfile JWT mechanism when a token fails validation, which would otherwise be an HTML
 * page without a {@code WWW-Authenticate} header. It answers in the same JSON shape, with the
 * Bearer challenge on 401 and 403.
 * <p>
 * At the OAuth 2.0 endpoints ({@link OAuthPaths}), whose clients read the protocol's error,
 * a 400 (a header Jersey could not parse, such as a malformed {@code Content-Type}) is
 * {@code invalid_request}, and a 401 (a Bearer token the MicroProfile JWT mechanism refused,
 * which is no client authentication anyway) is {@code invalid_client} with the Basic challenge.
 */
@WebServlet(name = "sigil-error-page", urlPatterns = ErrorPageServlet.PATH)
public class ErrorPageServlet extends HttpServlet {

    static final String PATH = "/sigil-error";

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            write(response, 404, "Not Found");
            return;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : 500;
        if ((status == 400 || status == 401) && OAuthPaths.isOAuth(request)) {
            writeOAuth(response, status, Realm.of(request.getContextPath()));
            return;
        }
        switch (status) {
            case 401 -> write(response, Realm.rejected(request.getContextPath(), request.getHeader("Authorization")));
            case 403 ->
                write(
                        response,
                        request.getUserPrincipal() == null
                                ? Realm.unauthenticated(request.getContextPath(), request.getHeader("Authorization"))
                                : BearerChallenge.forbidden(Realm.of(request.getContextPath())));
            default -> write(response, status, StatusDetails.of(status));
        }
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
