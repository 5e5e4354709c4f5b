package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SingleQueryParametersTest {

    /** A request whose decoded query holds these parameters. */
    static ContainerRequestContext request(Map<String, List<String>> query) {
        MultivaluedMap<String, String> parameters = new MultivaluedHashMap<>();
        query.forEach(parameters::put);
        UriInfo uri = (UriInfo) Proxy.newProxyInstance(
                SingleQueryParametersTest.class.getClassLoader(),
                new Class<?>[] {UriInfo.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getQueryParameters") && Boolean.TRUE.equals(args[0])) {
                        return parameters;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (ContainerRequestContext) Proxy.newProxyInstance(
                SingleQueryParametersTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getUriInfo")) {
                        return uri;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aParameterGivenTwiceIsA400NamingIt() {
        ApiException repeated = assertThrows(ApiException.class, () -> new SingleQueryParameters()
                .filter(request(Map.of("page", List.of("1"), "all", List.of("false", "true")))));
        assertEquals(400, repeated.status());
        assertEquals("all: given more than once", repeated.detail());
        assertEquals("all", repeated.field(), "an errors entry, as every other field error has");
        assertEquals("given more than once", repeated.fieldMessage());
    }

    @Test
    void eachParameterOnceOrNoneIsLeftAlone() {
        SingleQueryParameters filter = new SingleQueryParameters();
        assertDoesNotThrow(() -> filter.filter(request(Map.of())));
        assertDoesNotThrow(() -> filter.filter(request(Map.of("page", List.of("1"), "size", List.of("")))));
    }
}
