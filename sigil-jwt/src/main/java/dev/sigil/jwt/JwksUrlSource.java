package dev.sigil.jwt;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key set at the configured {@code mp.jwt.verify.publickey.location} (an {@code http(s):}
 * or {@code file:} URL), fetched with a connect and a response timeout of
 * {@code sigil.keys.fetch-timeout-ms}.
 */
@ApplicationScoped
public class JwksUrlSource implements KeySource {

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "sigil.keys.fetch-timeout-ms", defaultValue = "3000")
    long timeoutMs;

    private URI location;
    private HttpClient http;

    @PostConstruct
    void init() {
        open(URI.create(MirroredKeyLocation.upstream(config)), timeoutMs);
    }

    void open(URI location, long timeoutMs) {
        this.location = location;
        this.timeoutMs = timeoutMs;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofMillis(timeoutMs))
                .build();
    }

    @Override
    public KeySet fetch() throws IOException, InterruptedException {
        if ("file".equals(location.getScheme())) {
            return KeySet.parse(Files.readString(Path.of(location), StandardCharsets.UTF_8));
        }
        HttpRequest request = HttpRequest.newBuilder(location)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return KeySet.parse(response.body());
    }

    @Override
    public String describe() {
        return location.toString();
    }
}
