package dev.sigil.jwt;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key set at the configured {@code mp.jwt.verify.publickey.location}: an {@code https:}
 * URL, a {@code file:} URL, or a plain {@code http:} URL on a loopback address. Plain http
 * elsewhere would let anyone on the path hand business keys of their own, so it is refused at
 * start-up unless {@code sigil.keys.allow-insecure} is set (then start-up warns). Redirects are
 * not followed, so an https URL cannot be diverted to plain http.
 * <p>
 * One deadline, {@code sigil.keys.fetch-timeout-ms}, covers connecting, the headers and the
 * whole body, and a body over {@link #MAX_BYTES} is refused: the JDK client's own request
 * timeout stops counting once the headers arrive, so a server that trickles or never ends its
 * body would otherwise hold the fetch for ever.
 */
@ApplicationScoped
public class JwksUrlSource implements KeySource {

    private static final Logger LOG = Logger.getLogger(JwksUrlSource.class.getName());

    /** Auth's JWKS is about 1 KiB per key; a larger answer is not one. */
    public static final int MAX_BYTES = 64 * 1024;

    static final String ALLOW_INSECURE = "sigil.keys.allow-insecure";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "sigil.keys.fetch-timeout-ms", defaultValue = "3000")
    long timeoutMs;

    @Inject
    @ConfigProperty(name = ALLOW_INSECURE, defaultValue = "false")
    boolean allowInsecure;

    private URI location;
    private HttpClient http;

    @PostConstruct
    void init() {
        open(URI.create(MirroredKeyLocation.upstream(config)));
    }

    /**
     * Checks the location and prepares the client.
     *
     * @throws IllegalStateException for a location keys must not come from
     */
    void open(URI location) {
        check(location);
        this.location = location;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(timeoutMs))
                .build();
    }

    /**
     * Refuses a location that trusted documents must not come from: plain http to a host that
     * is not loopback (unless allowed, then it warns), or a scheme other than https, http, file.
     */
    public void check(URI location) {
        String scheme = String.valueOf(location.getScheme()).toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !isLoopback(location.getHost())) {
            if (!allowInsecure) {
                throw new IllegalStateException(MirroredKeyLocation.LOCATION + " " + location
                        + " is plain http to a host that is not loopback: anyone on the way could replace auth's keys."
                        + " Use https, or set " + ALLOW_INSECURE + "=true to accept it anyway");
            }
            LOG.warning(() -> "Fetching token keys over plain http from " + location + " because " + ALLOW_INSECURE
                    + "=true: anyone on the way can replace auth's keys");
        } else if (!scheme.equals("https") && !scheme.equals("http") && !scheme.equals("file")) {
            throw new IllegalStateException(MirroredKeyLocation.LOCATION + " " + location
                    + " is neither an https:, an http: (loopback only) nor a file: URL");
        }
    }

    /** The configured key set location. */
    public URI location() {
        return location;
    }

    /**
     * Whether a URL's host is this machine, decided from the name alone (no DNS lookup):
     * {@code localhost}, an address of 127.0.0.0/8 or {@code ::1}.
     */
    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (literal.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(literal).matches() && !literal.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }

    @Override
    public KeySet fetch() throws IOException, InterruptedException {
        return KeySet.parse(fetchText(location, "application/json", MAX_BYTES));
    }

    /**
     * A document of at most {@code maxBytes} from a checked location (see {@link #check}),
     * within one deadline: the key set, and auth's revocation feed beside it.
     */
    public String fetchText(URI location, String accept, int maxBytes) throws IOException, InterruptedException {
        if ("file".equalsIgnoreCase(location.getScheme())) {
            Path file = Path.of(location);
            if (Files.size(file) > maxBytes) {
                throw new IOException("larger than " + maxBytes + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        HttpRequest request = HttpRequest.newBuilder(location)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Accept", accept)
                .GET()
                .build();
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, info -> new Capped(maxBytes));
        HttpResponse<String> response;
        try {
            response = exchange.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.body();
    }

    /**
     * Opens a long-lived response from a checked location (see {@link #check}), such as auth's
     * revocation events: connecting and the headers within the deadline, then the body for as
     * long as it lasts, read by what {@code body} returns. The answer completes when the body ends.
     */
    public CompletableFuture<HttpResponse<Void>> open(
            URI location, String accept, HttpResponse.BodyHandler<Void> body) {
        HttpRequest request = HttpRequest.newBuilder(location)
                .timeout(Duration.ofMillis(timeoutMs))
                .header("Accept", accept)
                .GET()
                .build();
        return http.sendAsync(request, body);
    }

    /** Collects a body of at most {@code maxBytes}, and gives up on the exchange beyond. */
    private static final class Capped implements HttpResponse.BodySubscriber<String> {

        private final int maxBytes;

        Capped(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        private final CompletableFuture<String> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (bytes.size() + buffer.remaining() > maxBytes) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("answer larger than " + maxBytes + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public String describe() {
        return location.toString();
    }
}
