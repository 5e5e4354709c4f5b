package dev.sigil.auth;

import dev.sigil.jwt.Roles;
import dev.sigil.web.RestProperties;
import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Map;
import org.eclipse.microprofile.auth.LoginConfig;

/**
 * The auth service's REST root. The WAR's context root ({@code /auth}) is the whole prefix, so
 * the JWKS sits at {@code /auth/.well-known/jwks.json} as clients expect.
 * <p>
 * Auth validates bearer tokens the way every other service does, with MicroProfile JWT against
 * its own published keys; resources deny by default and open each method on purpose. It is a
 * CDI bean because Payara discovers {@code @LoginConfig} through CDI.
 */
@ApplicationPath("")
@LoginConfig(authMethod = "MP-JWT", realmName = "auth")
@DeclareRoles({Roles.USER, Roles.ADMIN})
@ApplicationScoped
public class AuthApplication extends Application {

    @Override
    public Map<String, Object> getProperties() {
        return RestProperties.ALL;
    }
}
