package dev.sigil.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyContentionTest {

    static PersistenceException failed(String sqlState) {
        return new PersistenceException(new RuntimeException(new SQLException("statement failed", sqlState)));
    }

    @Test
    void onlyAnotherRowOrInsertOfTheSameKeyIsContention() {
        for (String held : List.of("23505", "HYT00", "55P03")) {
            assertTrue(KeyContention.causes(failed(held)), held);
        }
        for (String other : List.of("25006", "08006", "53100", "40001", "23502")) {
            assertFalse(KeyContention.causes(failed(other)), other + ": the database's failure, a 5xx");
        }
        assertFalse(KeyContention.causes(new PersistenceException("no SQL state")));
    }
}
