package dev.sigil.jwt;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Points Payara's MicroProfile JWT validator at the {@link KeyMirror}'s local copy of the auth
 * service's JWKS instead of at the auth service itself.
 * <p>
 * Payara fetches {@code mp.jwt.verify.publickey.location} on the request thread, without
 * timeouts, keeps no copy when the fetch fails and never re-fetches for an unknown key id.
 * So this source, ranked above all others, answers that property with the mirror's file, and
 * the mirror fetches the URL the deployment configured (read from the other sources, so it is
 * set and overridden exactly as before: properties file, system property or
 * {@code MP_JWT_VERIFY_PUBLICKEY_LOCATION}).
 */
public class MirroredKeyLocation implements ConfigSource {

    static final String LOCATION = "mp.jwt.verify.publickey.location";
    static final String FILE = "sigil.keys.mirror-file";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(LOCATION);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(LOCATION, file().toUri().toString());
    }

    @Override
    public String getValue(String propertyName) {
        return LOCATION.equals(propertyName) ? file().toUri().toString() : null;
    }

    @Override
    public String getName() {
        return "Sigil key mirror";
    }

    @Override
    public int getOrdinal() {
        return Integer.MAX_VALUE;
    }

    /**
     * Where the mirror keeps its copy: {@code sigil.keys.mirror-file} if set, else inside the
     * server's instance directory (kept across restarts when Payara Micro runs with
     * {@code --rootdir}), so known keys survive a restart during an auth outage.
     */
    static Path file() {
        String configured = System.getProperty(FILE);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath();
        }
        String root = System.getProperty("com.sun.aas.instanceRoot", System.getProperty("java.io.tmpdir"));
        return Path.of(root, "sigil", "jwks-mirror.json").toAbsolutePath();
    }

    /** The key location the deployment configured, ignoring this source. */
    static String upstream(Config config) {
        return StreamSupport.stream(config.getConfigSources().spliterator(), false)
                .filter(source -> !(source instanceof MirroredKeyLocation))
                .map(source -> source.getValue(LOCATION))
                .filter(value -> value != null && !value.isBlank())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(LOCATION + " is not configured"));
    }
}
