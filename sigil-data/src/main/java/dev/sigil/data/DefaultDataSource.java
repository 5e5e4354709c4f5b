package dev.sigil.data;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The server's default data source, the service's database: embedded H2, or the pool that
 * {@code server-config/<service>/post-boot-postgresql.asadmin} points it at.
 * <p>
 * Looked up by name: Payara does not bind {@code @Resource} references of classes in a WAR's
 * library jars, only of the WAR's own classes.
 */
final class DefaultDataSource {

    static final String NAME = "java:comp/DefaultDataSource";

    private DefaultDataSource() {}

    static DataSource lookup() throws NamingException {
        return InitialContext.doLookup(NAME);
    }
}
