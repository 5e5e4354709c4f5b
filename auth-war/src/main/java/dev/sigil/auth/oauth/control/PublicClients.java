package dev.sigil.auth.oauth.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The first-party public clients ({@code auth.oauth.public-clients}): apps that cannot keep a
 * secret and name only their {@code client_id}. They may use the password and refresh token
 * grants, which act for a user who proves a password or holds a refresh token, and nothing
 * that acts for the client itself.
 */
@ApplicationScoped
public class PublicClients {

    @Inject
    @ConfigProperty(name = "auth.oauth.public-clients", defaultValue = "sigil-app")
    List<String> ids;

    /**
     * An id of another shape than a registered client's stops the deployment: one longer than
     * the 36 characters a refresh token's binding holds would fail every login of that client.
     */
    @PostConstruct
    void check() {
        for (String id : ids) {
            if (!id.matches(Clients.ID_SHAPE)) {
                throw new IllegalStateException("auth.oauth.public-clients: \"" + id + "\" must be 3 to 36 letters,"
                        + " digits, dots, dashes or underscores, starting with a letter or digit");
            }
        }
    }

    void onStart(@Observes Startup startup) {
        contains(""); // creates the bean, so a bad id fails the deployment rather than the client's first login
    }

    public boolean contains(String clientId) {
        return ids.contains(clientId);
    }
}
