package dev.sigil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InstantConverterTest {

    final InstantConverter converter = new InstantConverter();
    final Instant instant = Instant.parse("2026-03-29T01:30:00.123456Z");

    @Test
    void writesTheSameInstantInUtc() {
        OffsetDateTime written = converter.convertToDatabaseColumn(instant);
        assertEquals(ZoneOffset.UTC, written.getOffset());
        assertEquals(instant, written.toInstant());
        assertNull(converter.convertToDatabaseColumn(null));
    }

    @Test
    void readsTheInstantWhateverTheOffset() {
        assertEquals(instant, converter.convertToEntityAttribute(instant.atOffset(ZoneOffset.ofHours(2))));
        assertEquals(instant, converter.convertToEntityAttribute(instant.atOffset(ZoneOffset.ofHours(-7))));
        assertNull(converter.convertToEntityAttribute(null));
    }
}
