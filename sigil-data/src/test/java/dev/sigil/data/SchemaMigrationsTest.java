package dev.sigil.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class SchemaMigrationsTest {

    @Test
    void theLogLineNamesTheVersionWhetherOrNotAMigrationRan() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:schema-migrations;DB_CLOSE_DELAY=-1");

        assertEquals(
                "Database schema at version 2, 2 migration(s) applied on SCHEMA-MIGRATIONS",
                SchemaMigrations.describe(SchemaMigrations.migrate(dataSource, "db/schema-test")));
        assertEquals(
                "Database schema at version 2 (current) on SCHEMA-MIGRATIONS",
                SchemaMigrations.describe(SchemaMigrations.migrate(dataSource, "db/schema-test")));
    }
}
