package dev.sigil.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The MicroProfile Config file a WAR ships, rewritten for a test deployment: the WAR stays as
 * built but for the settings a test must change (a key location, lowered limits).
 */
public final class WarConfig {

    /** Where a WAR's classes see the file. */
    public static final String FILE = "META-INF/microprofile-config.properties";

    private static final String IN_WAR = "/WEB-INF/classes/" + FILE;

    private WarConfig() {}

    /** The shipped configuration of {@code war}. */
    public static String shipped(WebArchive war) {
        try (InputStream in = war.get(IN_WAR).getAsset().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the configuration with {@code change} applied to the shipped one; returns the new text. */
    public static String rewrite(WebArchive war, UnaryOperator<String> change) {
        String config = change.apply(shipped(war));
        war.delete(IN_WAR);
        war.addAsResource(new StringAsset(config), FILE);
        return config;
    }

    /** Appends settings ({@code name=value} lines) to the shipped configuration; later lines win. */
    public static WebArchive append(WebArchive war, String... settings) {
        rewrite(war, shipped -> shipped + "\n" + String.join("\n", settings) + "\n");
        return war;
    }
}
