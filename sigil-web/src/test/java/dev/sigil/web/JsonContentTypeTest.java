package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonContentTypeTest {

    /** The Content-Type the filter leaves on an answer of this type: null when it sets none. */
    static Object filtered(MediaType type) {
        MultivaluedMap<String, Object> headers = new MultivaluedHashMap<>();
        ContainerResponseContext response = (ContainerResponseContext) Proxy.newProxyInstance(
                JsonContentTypeTest.class.getClassLoader(),
                new Class<?>[] {ContainerResponseContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getMediaType" -> type;
                    case "getHeaders" -> headers;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        new JsonContentType().filter(null, response);
        return headers.getFirst("Content-Type");
    }

    static MediaType type(String type, String subtype, Map<String, String> parameters) {
        return new MediaType(type, subtype, parameters);
    }

    @Test
    void aJsonTypeWithParametersCopiedFromAcceptIsSetBackToItsBareForm() {
        assertEquals(
                new MediaType("application", "json"),
                filtered(type("application", "json", Map.of("charset", "UTF-16"))));
        assertEquals(
                new MediaType("application", "json"),
                filtered(type("application", "json", Map.of("charset", "utf-8", "q", "1"))));
        assertEquals(
                new MediaType("application", "jwk-set+json"),
                filtered(type("application", "jwk-set+json", Map.of("charset", "foo"))));
    }

    @Test
    void everythingElseIsLeftAsItIs() {
        assertNull(filtered(null), "no entity");
        assertNull(filtered(new MediaType("application", "json")), "no parameters");
        assertNull(filtered(type("application", "json", Map.of("charset", "UTF-8"))), "UTF-8, as an answer may set it");
        assertNull(filtered(type("application", "json", Map.of("CHARSET", "utf-8"))), "in any case");
        assertNull(filtered(type("text", "event-stream", Map.of("charset", "UTF-16"))), "not JSON");
        assertNull(filtered(type("application", "jwt", Map.of("charset", "UTF-16"))), "not JSON");
    }
}
