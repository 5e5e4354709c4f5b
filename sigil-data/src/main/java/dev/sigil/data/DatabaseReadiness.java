package dev.sigil.data;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: the service's database answers. A service that cannot reach its database should
 * get no traffic; it is still alive, and comes back by itself when the database does.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    static final int TIMEOUT_SECONDS = 2;

    DataSource dataSource;

    /** Looked up while the application creates the check; health checks may run on a server thread. */
    @PostConstruct
    void init() {
        try {
            dataSource = DefaultDataSource.lookup();
        } catch (NamingException e) {
            throw new IllegalStateException("No default data source", e);
        }
    }

    @Override
    public HealthCheckResponse call() {
        return check(dataSource);
    }

    static HealthCheckResponse check(DataSource dataSource) {
        var response = HealthCheckResponse.named("database");
        try (Connection connection = dataSource.getConnection()) {
            boolean valid = connection.isValid(TIMEOUT_SECONDS);
            return response.status(valid)
                    .withData("product", connection.getMetaData().getDatabaseProductName())
                    .build();
        } catch (SQLException | RuntimeException e) {
            // a check that throws makes the health endpoint answer 500 without a body
            return response.down()
                    .withData("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
