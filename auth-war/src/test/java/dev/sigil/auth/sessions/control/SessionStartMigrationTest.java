package dev.sigil.auth.sessions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigil.data.SchemaMigrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * V9 gives every stored refresh token the start of its session: for tokens stored before it,
 * the oldest token of their session still stored, so that a session already older than the
 * longest allowed ends at its next refresh. Instances of the previous version, which do not name
 * the column, can still store tokens while a cluster is upgraded.
 */
class SessionStartMigrationTest {

    final Instant now = Instant.parse("2026-06-01T12:00:00Z");

    @Test
    void tokensStoredBeforeCountFromTheOldestTokenOfTheirSession() throws SQLException {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:session-start-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(database)
                .locations("classpath:db/auth")
                .table("sigil_schema_history")
                .target("8")
                .load()
                .migrate();
        try (Connection connection = database.getConnection()) {
            insert(connection, "old-1", "family-a", 40 * 86_400);
            insert(connection, "old-2", "family-a", 20 * 86_400);
            insert(connection, "old-3", "family-a", 60);
            insert(connection, "new-1", "family-b", 300);
        }

        SchemaMigrations.migrate(database, "db/auth");

        Map<String, Instant> started = new HashMap<>();
        try (Connection connection = database.getConnection();
                ResultSet rows = connection
                        .createStatement()
                        .executeQuery("SELECT id, session_started_at FROM sigil_refresh_token")) {
            while (rows.next()) {
                started.put(
                        rows.getString(1),
                        rows.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
        Instant familyA = now.minusSeconds(40 * 86_400);
        assertEquals(
                Map.of("old-1", familyA, "old-2", familyA, "old-3", familyA, "new-1", now.minusSeconds(300)), started);

        try (Connection connection = database.getConnection()) {
            insert(connection, "from-an-instance-not-upgraded-yet", "family-c", 0);
        }
    }

    void insert(Connection connection, String id, String family, long createdAgo) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sigil_refresh_token (id, token_hash, family_id, user_id, created_at, expires_at)"
                        + " VALUES (?, ?, ?, 'user', ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, id);
            insert.setString(3, family);
            insert.setObject(4, now.minusSeconds(createdAgo).atOffset(ZoneOffset.UTC));
            insert.setObject(5, now.plusSeconds(86_400).atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
    }
}
