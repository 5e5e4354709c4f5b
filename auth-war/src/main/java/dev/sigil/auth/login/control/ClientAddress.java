package dev.sigil.auth.login.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client address a login attempt is counted against by the {@link LoginThrottle}.
 * <p>
 * Normally the connection's peer. Behind a reverse proxy every peer is the proxy, and the
 * per-address lockout would lock all clients at once after a few of them mistyped; so for a
 * peer listed in {@code auth.throttle.trusted-proxies} (comma-separated addresses, none by
 * default) the address comes from {@code X-Forwarded-For}: the rightmost entry that is not
 * itself a trusted proxy. Proxies append the address they saw, so that entry was written by a
 * trusted proxy; everything left of it is the client's own claim and is never used. A header
 * that does not hold an address there is ignored.
 */
@ApplicationScoped
public class ClientAddress {

    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    @Inject
    @ConfigProperty(name = "auth.throttle.trusted-proxies")
    Optional<String> trustedProxies = Optional.empty();

    private Set<String> trusted;

    /**
     * @param peer the connection's remote address
     * @param forwardedFor the {@code X-Forwarded-For} header, or null
     */
    public String of(String peer, String forwardedFor) {
        Set<String> proxies = trusted();
        if (forwardedFor == null || !proxies.contains(peer)) {
            return peer;
        }
        List<String> hops = Arrays.stream(forwardedFor.split(",")).map(String::strip).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!ADDRESS.matcher(hop).matches()) {
                return peer;
            }
            if (!proxies.contains(hop)) {
                return hop;
            }
        }
        return peer;
    }

    private Set<String> trusted() {
        Set<String> current = trusted;
        if (current == null) {
            current = trustedProxies.map(list -> Arrays.stream(list.split(","))
                    .map(String::strip).filter(entry -> !entry.isEmpty()).collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
            trusted = current;
        }
        return current;
    }
}
