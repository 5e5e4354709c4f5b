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

    private static void write(HttpServletResponse response, BearerChallenge challenge) throws IOException {
        response.setHeader("WWW-Authenticate", challenge.header());
        write(response, challenge.status(), challenge.detail());
    }

    private static void write(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(ErrorResponses.body(detail));
    }
}
