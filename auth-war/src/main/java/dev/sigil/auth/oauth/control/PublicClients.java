package dev.sigil.auth.oauth.control;

import jakarta.enterprise.context.ApplicationScoped;
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

    public boolean contains(String clientId) {
        return ids.contains(clientId);
    }
}
