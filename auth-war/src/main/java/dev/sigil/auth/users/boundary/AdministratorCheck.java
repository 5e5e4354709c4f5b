package dev.sigil.auth.users.boundary;

import dev.sigil.auth.users.control.Administrators;
import dev.sigil.jwt.Callers;
import dev.sigil.jwt.Roles;
import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * Re-reads the caller's account before every admin call: unknown, disabled or no longer in
 * group admin is 403, whatever the token's {@code groups} say. A token outlives a disable or a
 * demotion by up to its lifetime; without this check it would keep full admin power, enough to
 * re-enable or re-promote itself.
 * <p>
 * It runs after the {@code @RolesAllowed} check, for every method under {@code admin/} and every
 * method allowed to group admin alone, so a new admin endpoint is covered without opting in.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
public class AdministratorCheck implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Inject
    Administrators administrators;

    @Inject
    Callers callers;

    @Override
    public void filter(ContainerRequestContext request) {
        if (forAdministrators(resource.getResourceClass(), resource.getResourceMethod())
                && !administrators.isActive(callers.subject())) {
            throw new ForbiddenException();
        }
    }

    /** Whether a resource method is an admin endpoint: by its path or by its roles. */
    static boolean forAdministrators(Class<?> type, Method method) {
        String path = (value(type.getAnnotation(Path.class)) + "/" + value(method.getAnnotation(Path.class)))
                .replaceAll("/+", "/")
                .replaceFirst("^/", "");
        RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class)
                ? method.getAnnotation(RolesAllowed.class)
                : type.getAnnotation(RolesAllowed.class);
        return path.startsWith("admin")
                || roles != null && Set.of(roles.value()).equals(Set.of(Roles.ADMIN));
    }

    private static String value(Path path) {
        return path == null ? "" : path.value();
    }
}
