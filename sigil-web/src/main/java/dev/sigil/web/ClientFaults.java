package dev.sigil.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps what any client can cause at will from writing stack traces into the log, where they
 * would fill the disk at no cost to the client:
 * <ul>
 * <li>a client that closes its connection before its answer is sent (an upload cut short, a
 * client that gave up waiting): Jersey logs the failed write as SEVERE with a stack trace of
 * about a hundred lines, and the container adds a WARNING with another for the error page it
 * could not send either;</li>
 * <li>a request the container cannot map, for want of a usable {@code Host} header or for a
 * malformed or truncated percent-escape in its path: the container logs a SEVERE stack trace
 * (and answers 200 with an empty body, which no Sigil code sees).</li>
 * </ul>
 * Such records become one INFO line of this class per kind and one-second window, counting the
 * others. Every other record of these loggers goes on to the filter the logger had before, if any.
 */
@ApplicationScoped
public class ClientFaults implements Filter {

    /** Jersey's writer of answers, the container's web log (error pages) and its request mapping. */
    static final List<String> LOGGERS = List.of(
            "org.glassfish.jersey.server.ServerRuntime$Responder",
            "jakarta.enterprise.web",
            "jakarta.enterprise.web.core");

    /** What Grizzly and the JDK say of a connection the other side has closed. */
    static final Set<String> CLOSED = Set.of("Connection is closed", "Broken pipe", "Connection reset by peer");

    private static final Logger LOG = Logger.getLogger(ClientFaults.class.getName());

    private final RateLimitedLog hangUps = new RateLimitedLog(LOG, 1);
    private final RateLimitedLog unmapped = new RateLimitedLog(LOG, 1);

    /** How many causes deep a hang-up is looked for: a chain of causes may even be a cycle. */
    static final int MAX_CAUSES = 16;

    /** The filter set on a logger, and the one it replaced. */
    private record Installed(Logger logger, Filter own, Filter before) {}

    /** Held here, loggers included: a logger nobody refers to may be collected, its filter with it. */
    private final List<Installed> installed = new CopyOnWriteArrayList<>();

    void install(@Observes @Initialized(ApplicationScoped.class) Object started) {
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            Filter before = logger.getFilter();
            Filter own = record -> isLoggable(record) && (before == null || before.isLoggable(record));
            logger.setFilter(own);
            installed.add(new Installed(logger, own, before));
        }
    }

    void uninstall(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
        for (Installed filter : installed) {
            if (filter.logger().getFilter() == filter.own()) {
                filter.logger().setFilter(filter.before());
            }
        }
        installed.clear();
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (closedByClient(record.getThrown()) || (record.getThrown() == null && tracesAHangUp(record.getMessage()))) {
            hangUps.log(() -> "A client closed its connection before its answer was sent");
            return false;
        }
        if (unmappable(record.getThrown())) {
            unmapped.log(() -> "A request without a usable Host header or with a malformed percent-escape in its path"
                    + " got an empty answer");
            return false;
        }
        return true;
    }

    /**
     * The container's refusals of a request it cannot map: Grizzly's mapper without a host, and
     * its URL decoder on a bad escape such as {@code %zz} or one cut short at the path's end
     * ({@code /auth/a%2}), which it reports as an {@link IllegalStateException}.
     */
    static boolean unmappable(Throwable thrown) {
        return thrown != null
                && thrown.getMessage() != null
                && ((thrown.getClass() == Exception.class && thrown.getMessage().equals("Host is not set"))
                        || (thrown instanceof IllegalArgumentException
                                && thrown.getMessage().startsWith("URLDecoder: "))
                        || (thrown instanceof IllegalStateException
                                && thrown.getMessage().equals("Unexpected termination")
                                && thrown.getStackTrace().length > 0
                                && thrown.getStackTrace()[0].getClassName().equals(URL_DECODER)));
    }

    static final String URL_DECODER = "org.glassfish.grizzly.http.util.URLDecoder";

    /**
     * Whether a message carries the stack trace of a closed connection in its text: the
     * container's web log writes the trace into the message instead of attaching the exception.
     */
    static boolean tracesAHangUp(String message) {
        return message != null
                && message.lines()
                        .map(String::strip)
                        .map(line -> line.startsWith("Caused by: ") ? line.substring(11) : line)
                        .anyMatch(line -> line.startsWith("java.io.IOException: ")
                                && CLOSED.contains(line.substring("java.io.IOException: ".length())));
    }

    static boolean closedByClient(Throwable thrown) {
        Throwable cause = thrown;
        for (int depth = 0; cause != null && depth < MAX_CAUSES; depth++, cause = cause.getCause()) {
            if (cause instanceof IOException && cause.getMessage() != null && CLOSED.contains(cause.getMessage())) {
                return true;
            }
        }
        return false;
    }
}
