package dev.sigil.jwt;

import java.io.IOException;

/**
 * Where the {@link KeyMirror} gets the current key set from. The default is the configured JWKS
 * URL ({@link JwksUrlSource}); a service that holds the keys itself (auth) supplies an
 * alternative and never goes over the network to itself.
 */
public interface KeySource {

    /** The current key set; throws when it cannot be had right now. */
    KeySet fetch() throws IOException, InterruptedException;

    /** Names the source in log lines. */
    String describe();
}
