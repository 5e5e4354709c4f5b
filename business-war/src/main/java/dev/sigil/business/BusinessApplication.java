package dev.sigil.business;

import dev.sigil.jwt.Roles;
import dev.sigil.web.RestProperties;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The business service's REST root. It knows no users: every caller is identified by a
 * MicroProfile JWT access token, verified locally against the auth service's published keys
 * ({@code mp.jwt.verify.*} in {@code microprofile-config.properties}).
 * <p>
 * It is a CDI bean because Payara discovers {@code @LoginConfig} through CDI; without the scope
 * deployment fails with WELD-001408, an unsatisfied {@code JsonWebToken} dependency.
 */
@ApplicationPath("")
@LoginConfig(authMethod = "MP-JWT", realmName = "business")
@DeclareRoles({Roles.USER, Roles.ADMIN, Roles.ORDERS_READER})
@ApplicationScoped
public class BusinessApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return RestProperties.ALL;
    }
}
