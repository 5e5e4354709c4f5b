package dev.sigil.jwt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A file replaced whole: readers see the old text or the new, never part of it. */
final class AtomicFile {

    private AtomicFile() {}

    /**
     * Writes {@code text} to a temporary file beside {@code file}, then moves it over {@code file}
     * in one step; a write that fails (a full disk) leaves the old file and no temporary one,
     * however often it is retried.
     */
    static void replace(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(next, text, StandardCharsets.UTF_8);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(next);
        }
    }
}
