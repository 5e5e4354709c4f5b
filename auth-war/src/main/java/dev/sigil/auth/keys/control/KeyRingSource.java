package dev.sigil.auth.keys.control;

import dev.sigil.jwt.KeySet;
import dev.sigil.jwt.KeySource;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * Auth validates its own access tokens with MicroProfile JWT like every other service, but
 * takes the published keys straight from its {@link KeyRing} instead of fetching its own JWKS
 * over the network.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class KeyRingSource implements KeySource {

    @Inject
    KeyRing ring;

    /** How long a fetch at start waits for {@link KeyMaintenance} to load the keys. */
    static final long FIRST_LOAD_WAIT_MS = 30_000;

    /** The published keys; at start, once they are loaded (never read from the database here). */
    @Override
    public KeySet fetch() throws InterruptedException {
        return KeySet.parse(ring.jwksOnceLoaded(FIRST_LOAD_WAIT_MS)
                .orElseThrow(() -> new IllegalStateException("the key ring is still loading")));
    }

    @Override
    public String describe() {
        return "this service's key ring";
    }
}
