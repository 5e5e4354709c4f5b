package dev.sigil.auth.users.boundary;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.auth.keys.boundary.AdminKeysResource;
import dev.sigil.auth.oauth.boundary.AdminClientsResource;
import dev.sigil.auth.sessions.boundary.SessionsResource;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdministratorCheckTest {

    @Test
    void everyMethodOfTheAdminResourcesIsChecked() {
        for (Class<?> type : List.of(AdminUsersResource.class, AdminKeysResource.class, AdminClientsResource.class)) {
            List<Method> methods = resourceMethods(type);
            assertFalse(methods.isEmpty());
            methods.forEach(method -> assertTrue(AdministratorCheck.forAdministrators(type, method), method::toString));
        }
    }

    @Test
    void methodsForEveryUserAreNot() {
        for (Class<?> type : List.of(MeResource.class, UsersResource.class, SessionsResource.class)) {
            List<Method> methods = resourceMethods(type);
            assertFalse(methods.isEmpty(), type::getName);
            methods.forEach(
                    method -> assertFalse(AdministratorCheck.forAdministrators(type, method), method::toString));
        }
    }

    @Path("/")
    static class Elsewhere {
        @GET
        @Path("/admin//export")
        @PermitAll
        public void underAdminWithoutRoles() {}

        @GET
        @Path("report")
        @RolesAllowed("admin")
        public void allowedToAdminsAlone() {}

        @GET
        @Path("shared")
        @RolesAllowed({"user", "admin"})
        public void allowedToUsersToo() {}
    }

    @Test
    void aNewEndpointIsCheckedByItsPathOrItsRolesWithoutOptingIn() throws NoSuchMethodException {
        assertTrue(AdministratorCheck.forAdministrators(
                Elsewhere.class, Elsewhere.class.getMethod("underAdminWithoutRoles")));
        assertTrue(AdministratorCheck.forAdministrators(
                Elsewhere.class, Elsewhere.class.getMethod("allowedToAdminsAlone")));
        assertFalse(
                AdministratorCheck.forAdministrators(Elsewhere.class, Elsewhere.class.getMethod("allowedToUsersToo")));
    }

    static List<Method> resourceMethods(Class<?> type) {
        return Arrays.stream(type.getDeclaredMethods())
                .filter(method -> Arrays.stream(method.getAnnotations())
                        .map(Annotation::annotationType)
                        .anyMatch(annotation -> annotation.isAnnotationPresent(HttpMethod.class)))
                .toList();
    }
}
