package dev.sigil.business.orders.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sigil.web.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrdersResourceTest {

    @Test
    void aKeyIsOneValueOfVisibleAsciiOptionallyQuoted() {
        assertNull(OrdersResource.idempotencyKey(null));
        assertNull(OrdersResource.idempotencyKey(List.of()));
        assertEquals("k-1", OrdersResource.idempotencyKey(List.of("k-1")));
        assertEquals("k-1", OrdersResource.idempotencyKey(List.of("\"k-1\"")));
        for (List<String> bad :
                List.of(List.of(""), List.of("a b"), List.of("a,b"), List.of("a", "b"), List.of("x".repeat(256)))) {
            assertEquals(
                    400,
                    assertThrows(ApiException.class, () -> OrdersResource.idempotencyKey(bad))
                            .status(),
                    bad::toString);
        }
    }
}
