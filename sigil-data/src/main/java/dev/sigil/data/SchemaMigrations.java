package dev.sigil.data;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.util.logging.Logger;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the service's database to the newest schema version at start-up, with the versioned
 * SQL migrations under {@code sigil.db.migrations} (Flyway). The same scripts run on the
 * embedded H2 database and on PostgreSQL; JPA never creates or alters tables.
 * <p>
 * It runs when the application scope starts, before any {@code Startup} observer reads the
 * database (the auth key ring, the administrator bootstrap). Several instances may start at
 * once against one database: Flyway takes a database lock, so one migrates and the others find
 * the schema current. A failed migration fails the deployment, rather than letting the service
 * answer over a schema it does not understand.
 */
@ApplicationScoped
public class SchemaMigrations {

    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    @Inject
    @ConfigProperty(name = "sigil.db.migrations")
    String location;

    void migrate(
            @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
                    Object start)
            throws NamingException {
        MigrateResult result = migrate(DefaultDataSource.lookup(), location);
        LOG.info(() -> describe(result));
    }

    /** One line for the log; Flyway leaves the target version unset when nothing was applied. */
    static String describe(MigrateResult result) {
        return result.migrationsExecuted == 0
                ? "Database schema at version " + result.initialSchemaVersion + " (current) on " + result.database
                : "Database schema at version " + result.targetSchemaVersion + ", " + result.migrationsExecuted
                        + " migration(s) applied on " + result.database;
    }

    /** Migrates {@code dataSource} with the scripts found at {@code location}, a class path folder. */
    public static MigrateResult migrate(DataSource dataSource, String location) {
        return Flyway.configure(SchemaMigrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:" + location)
                .table("sigil_schema_history")
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }
}
