package dev.sigil.business.orders.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.web.ApiException;
import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrdersResourceTest {

    static PersistenceException failed(String sqlState) {
        return new PersistenceException(new RuntimeException(new SQLException("statement failed", sqlState)));
    }

    @Test
    void onlyAnotherRequestsHoldOnTheKeyIsContention() {
        for (String held : List.of("23505", "HYT00", "55P03")) {
            assertTrue(OrdersResource.keyContention(failed(held)), held);
        }
        for (String other : List.of("25006", "08006", "53100", "40001")) {
            assertFalse(OrdersResource.keyContention(failed(other)), other + ": the database's failure, a 5xx");
        }
        assertFalse(OrdersResource.keyContention(new PersistenceException("no SQL state")));
    }

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
