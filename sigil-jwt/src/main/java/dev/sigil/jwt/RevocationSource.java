package dev.sigil.jwt;

import java.io.IOException;
import java.util.List;

/** Where a service learns the revocations that can still matter. */
public interface RevocationSource {

    /**
     * The current revocations.
     *
     * @throws IOException when the source cannot answer, or its answer is not trustworthy
     */
    List<Revocation> fetch() throws IOException, InterruptedException;

    /** For log lines. */
    String describe();
}
