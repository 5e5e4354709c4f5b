package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContentCodingsTest {

    /** A request with these Content-Encoding lines, none if empty. */
    static ContainerRequestContext request(String... contentEncodings) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        if (contentEncodings.length > 0) {
            headers.put("Content-Encoding", List.of(contentEncodings));
        }
        return (ContainerRequestContext) Proxy.newProxyInstance(
                ContentCodingsTest.class.getClassLoader(),
                new Class<?>[] {ContainerRequestContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getHeaders")) {
                        return headers;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void aBodyWithAContentCodingIsA415NamingIt() {
        for (String[] codings : List.of(
                new String[] {"gzip"},
                new String[] {"identity, br"},
                new String[] {"identity", "deflate"},
                new String[] {""})) {
            ApiException refused =
                    assertThrows(ApiException.class, () -> new ContentCodings().filter(request(codings)));
            assertEquals(415, refused.status(), List.of(codings)::toString);
        }
        ApiException gzip = assertThrows(ApiException.class, () -> new ContentCodings().filter(request("gzip")));
        assertEquals("Content-Encoding gzip is not supported: send the body without a content coding", gzip.detail());
        ApiException longValue =
                assertThrows(ApiException.class, () -> new ContentCodings().filter(request("x".repeat(100))));
        assertEquals(
                "Content-Encoding " + "x".repeat(32) + "... is not supported: send the body without a content coding",
                longValue.detail());
    }

    @Test
    void noCodingOrIdentityIsLeftAlone() {
        ContentCodings filter = new ContentCodings();
        assertDoesNotThrow(() -> filter.filter(request()));
        assertDoesNotThrow(() -> filter.filter(request("identity")));
        assertDoesNotThrow(() -> filter.filter(request(" Identity ")));
    }
}
