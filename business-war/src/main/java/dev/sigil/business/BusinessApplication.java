package dev.sigil.business;

import jakarta.annotation.security.DeclareRoles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
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
@DeclareRoles({BusinessApplication.USER, BusinessApplication.ADMIN, BusinessApplication.ORDERS_READER})
@ApplicationScoped
public class BusinessApplication extends Application {

    public static final String USER = "user";
    public static final String ADMIN = "admin";
    /** A service that reads every order and changes none, such as a reporting job with a client credentials token. */
    public static final String ORDERS_READER = "orders-reader";
}
