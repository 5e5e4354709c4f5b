package dev.sigil.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/OPERATIONS.md ("Configuration reference") is the one place an operator reads a setting's
 * default. This keeps it honest against the code: for each service, a setting's effective
 * default is the value in the WAR's {@code META-INF/microprofile-config.properties}, else the
 * {@code defaultValue} of its {@code @ConfigProperty} (or a programmatic {@code orElse}) in the
 * sources the WAR is built from. Every such copy must agree with it, and the reference must
 * state it. Reads the checkout's files; starts nothing.
 */
class ConfigurationReferenceTest {

    static final Path ROOT =
            Path.of(System.getProperty("sigil.root", "..")).toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("auth", "business");
    /** Server settings the WAR passes to Payara, not the application's. */
    static final Pattern SERVER_SETTING = Pattern.compile("mp\\.openapi\\..*");

    static final Pattern ANNOTATION = Pattern.compile(
            "@ConfigProperty\\(\\s*name\\s*=\\s*(?:\"([^\"]+)\"|(\\w+))\\s*(?:,\\s*defaultValue\\s*=\\s*\"([^\"]*)\")?\\s*\\)");
    static final Pattern OR_ELSE = Pattern.compile(
            "getOptionalValue\\(\\s*\"([^\"]+)\"\\s*,\\s*\\w+\\.class\\s*\\)\\s*\\.orElse\\(\\s*\"?([^\")]*?)\"?L?\\s*\\)");
    static final Pattern CONSTANT = Pattern.compile("static\\s+final\\s+String\\s+(\\w+)\\s*=\\s*\"([^\"]+)\"");
    static final Pattern LIBRARY = Pattern.compile("<artifactId>(sigil-[\\w-]+)</artifactId>");

    /** One default written in the code: where, and the value (null: none). */
    record Written(String where, String value) {}

    /** One row of the reference: the documented default, or null for "unset" or a computed one. */
    record Documented(String section, String value) {}

    @Test
    void everyDocumentedDefaultIsTheCodesEffectiveDefault() {
        List<String> mismatches = new ArrayList<>();
        for (String service : SERVICES) {
            Map<String, Documented> documented = reference(service);
            Map<String, Documented> anywhere = reference(null);
            Map<String, List<Written>> written = writtenDefaults(service);
            for (Map.Entry<String, List<Written>> setting : written.entrySet()) {
                String name = setting.getKey();
                String effective = effective(setting.getValue());
                for (Written copy : setting.getValue()) {
                    if (copy.value() != null && !copy.value().equals(effective)) {
                        mismatches.add(service + ": " + name + " defaults to " + effective + " but " + copy.where()
                                + " says " + copy.value());
                    }
                }
                // a library's setting a service does not use may be documented for the other only
                Documented row = documented.getOrDefault(name, anywhere.get(name));
                if (row == null) {
                    mismatches.add(service + ": " + name + " ("
                            + setting.getValue().get(0).where()
                            + ") is missing from the configuration reference in docs/OPERATIONS.md");
                } else if (row.value() == null
                        ? effective != null
                        : !row.value().equals(effective)) {
                    mismatches.add(
                            service + ": docs/OPERATIONS.md (" + row.section() + ") gives " + name + " the default "
                                    + (row.value() == null ? "unset" : row.value()) + ", the code " + effective);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /**
     * The validator keeps the mirror's keys for {@code publicKey.cache.ttl} (Payara's
     * {@code payara-mp-jwt.properties}); the token gate assumes the same period when it retries
     * a key learned within it.
     */
    @Test
    void theTokenGatesKeyTtlIsTheValidatorsInEveryWar() {
        for (String service : SERVICES) {
            String validator = properties(ROOT.resolve(service + "-war/src/main/resources/payara-mp-jwt.properties"))
                    .getProperty("publicKey.cache.ttl");
            String gate = effective(writtenDefaults(service).get("sigil.tokens.validator-key-ttl-ms"));
            assertEquals(
                    validator, gate, service + ": sigil.tokens.validator-key-ttl-ms must equal publicKey.cache.ttl");
        }
    }

    /** The parser itself: each copy is found with its value, so a pass above means something. */
    @Test
    void everyCopyIsFoundWithItsValue() {
        Map<String, List<Written>> written = new LinkedHashMap<>();
        collect("A.java", "@ConfigProperty(name = \"x.skew\", defaultValue = \"0\") long a;", Map.of(), written);
        collect("B.java", "@ConfigProperty(name = SKEW) long b;", Map.of("SKEW", "x.skew"), written);
        collect(
                "C.java",
                "ConfigProvider.getConfig().getOptionalValue(\"x.skew\", Long.class).orElse(60L);",
                Map.of(),
                written);
        assertEquals(
                Map.of(
                        "x.skew",
                        List.of(new Written("A.java", "0"), new Written("B.java", null), new Written("C.java", "60"))),
                written);
        assertEquals("0", effective(written.get("x.skew")));
    }

    /** The properties file's value where it sets one, otherwise the code's (the first copy says). */
    static String effective(List<Written> copies) {
        return copies.get(0).value();
    }

    /**
     * Every default the WAR of {@code service} writes, by setting: the properties file first (it
     * wins), then each annotation and programmatic default in its sources and its libraries'.
     */
    static Map<String, List<Written>> writtenDefaults(String service) {
        Map<String, List<Written>> written = new LinkedHashMap<>();
        Path war = ROOT.resolve(service + "-war");
        Path config = war.resolve("src/main/resources/META-INF/microprofile-config.properties");
        properties(config).forEach((name, value) -> {
            if (!SERVER_SETTING.matcher((String) name).matches()) {
                written.computeIfAbsent((String) name, any -> new ArrayList<>())
                        .add(new Written(ROOT.relativize(config).toString(), (String) value));
            }
        });
        for (Path module : modules(war)) {
            try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java"))
                        .sorted()
                        .toList()) {
                    String source = Files.readString(file);
                    Map<String, String> constants = new HashMap<>();
                    Matcher constant = CONSTANT.matcher(source);
                    while (constant.find()) {
                        constants.put(constant.group(1), constant.group(2));
                    }
                    collect(ROOT.relativize(file).toString(), source, constants, written);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        // a setting only the code writes: its first written default is the effective one
        written.replaceAll((name, copies) -> {
            List<Written> ordered = new ArrayList<>(copies);
            if (ordered.get(0).value() == null) {
                ordered.stream()
                        .filter(copy -> copy.value() != null)
                        .findFirst()
                        .ifPresent(first -> {
                            ordered.remove(first);
                            ordered.add(0, first);
                        });
            }
            return ordered;
        });
        return written;
    }

    static void collect(
            String where, String source, Map<String, String> constants, Map<String, List<Written>> written) {
        Matcher annotation = ANNOTATION.matcher(source);
        while (annotation.find()) {
            String name = annotation.group(1) != null ? annotation.group(1) : constants.get(annotation.group(2));
            assertTrue(name != null, where + ": the constant " + annotation.group(2) + " is not in that file");
            written.computeIfAbsent(name, any -> new ArrayList<>()).add(new Written(where, annotation.group(3)));
        }
        Matcher orElse = OR_ELSE.matcher(source);
        while (orElse.find()) {
            written.computeIfAbsent(orElse.group(1), any -> new ArrayList<>()).add(new Written(where, orElse.group(2)));
        }
    }

    /** The WAR's module and the libraries it is built from (its sigil-* dependencies). */
    static List<Path> modules(Path war) {
        List<Path> modules = new ArrayList<>(List.of(war));
        Matcher library = LIBRARY.matcher(read(war.resolve("pom.xml")));
        while (library.find()) {
            modules.add(ROOT.resolve(library.group(1)));
        }
        return modules;
    }

    /**
     * The rows of docs/OPERATIONS.md's configuration reference that apply to {@code service}: its
     * own table and the one for both services (null: every table). A default in backticks is a literal value;
     * "unset" and descriptions (a path with a placeholder, a sentence) are null.
     */
    static Map<String, Documented> reference(String service) {
        String text = read(ROOT.resolve("docs/OPERATIONS.md"));
        int start = text.indexOf("\n## 2. Configuration reference");
        assertTrue(start >= 0, "docs/OPERATIONS.md has no section \"2. Configuration reference\"");
        int end = text.indexOf("\n## ", start + 1);
        Map<String, Documented> rows = new LinkedHashMap<>();
        String section = "";
        int defaultColumn = -1;
        for (String line : text.substring(start, end < 0 ? text.length() : end).split("\n")) {
            if (line.startsWith("### ")) {
                section = line.substring(4).strip();
                defaultColumn = -1;
            } else if (line.startsWith("| property |")) {
                defaultColumn = List.of(cells(line)).indexOf("default");
            } else if (defaultColumn >= 0 && line.startsWith("| `") && applies(section, service)) {
                String[] cells = cells(line);
                rows.put(cells[0].replace("`", ""), new Documented(section, literal(cells[defaultColumn])));
            }
        }
        assertTrue(!rows.isEmpty(), "no configuration table for " + service + " in docs/OPERATIONS.md");
        return rows;
    }

    static boolean applies(String section, String service) {
        return service == null || section.equals(service) || section.startsWith("Both services");
    }

    static String[] cells(String row) {
        String[] cells = row.strip().replaceAll("^\\||\\|$", "").split("\\|");
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }

    static String literal(String cell) {
        Matcher quoted = Pattern.compile("^`([^`]*)`").matcher(cell);
        return quoted.find() && !quoted.group(1).contains("<") ? quoted.group(1) : null;
    }

    static Properties properties(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
