package dev.sigil.data;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Stores {@link Instant} attributes in {@code TIMESTAMP WITH TIME ZONE} columns.
 * <p>
 * Jakarta Persistence 3.1, and so Payara's EclipseLink, has no mapping for {@code Instant}: it
 * would serialize the object into a binary column, which no query can compare and no operator
 * can read. {@link OffsetDateTime} is the JDBC type of a zoned timestamp on both H2 and
 * PostgreSQL; it is written in UTC, and the column keeps the absolute point in time whatever
 * the time zone of the server that writes or reads it.
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, OffsetDateTime> {

    @Override
    public OffsetDateTime convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public Instant convertToEntityAttribute(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
