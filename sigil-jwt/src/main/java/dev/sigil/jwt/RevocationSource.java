package dev.sigil.jwt;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Where a service learns the revocations that can still matter. */
public interface RevocationSource {

    /**
     * The current revocations.
     *
     * @throws IOException when the source cannot answer, or its answer is not trustworthy
     */
    List<Revocation> fetch() throws IOException, InterruptedException;

    /** Where the same signed documents are also pushed as server-sent events, if anywhere. */
    default Optional<URI> pushLocation() {
        return Optional.empty();
    }

    /**
     * Whether the source is the service's own store, which a restart keeps: then the poller
     * saves no copy of what it read.
     */
    default boolean ownStore() {
        return false;
    }

    /** For log lines. */
    String describe();
}
