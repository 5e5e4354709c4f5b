package dev.sigil.jwt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The revocations a validator knows, kept on disk beside its key copy, so that a restart while
 * auth cannot be reached forgets none: without it, a token revoked before the restart would be
 * accepted again until its {@code exp}. The copy holds what the signed feeds and pushes
 * brought (it is written by this process only, in a directory that is its owner's alone, like
 * the key copy); loading it can only add revocations.
 */
final class RevocationCopy {

    private static final Logger LOG = Logger.getLogger(RevocationCopy.class.getName());

    private final Path file;

    RevocationCopy(Path file) {
        this.file = file;
    }

    /** Beside the key mirror's copy. */
    static RevocationCopy besideTheKeys() {
        return new RevocationCopy(MirroredKeyLocation.file().resolveSibling("revocations-copy.json"));
    }

    /** The revocations saved last, or empty when there is no readable copy. */
    Optional<List<Revocation>> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(RevocationFeed.read(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "Ignoring the unreadable revocation copy " + file, e);
            return Optional.empty();
        }
    }

    /** Replaces the copy atomically; a write that fails leaves the old copy. */
    void save(List<Revocation> revocations) throws IOException {
        AtomicFile.replace(file, RevocationFeed.payload(revocations, System.currentTimeMillis() / 1000));
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
