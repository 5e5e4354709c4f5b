package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ClientFaultsTest {

    /** This class's logger, held so that the handler stays on it. */
    static final Logger OWN = Logger.getLogger(ClientFaults.class.getName());

    /** Adds to {@code lines} what this class logs, until the handler is removed from {@link #OWN}. */
    static Handler capture(List<LogRecord> lines) {
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord entry) {
                lines.add(entry);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        OWN.addHandler(capture);
        return capture;
    }

    static LogRecord record(Level level, Throwable thrown) {
        LogRecord record = new LogRecord(level, "Error while closing the output stream in order to commit response.");
        record.setThrown(thrown);
        return record;
    }

    @Test
    void onlyAConnectionTheClientClosedIsRecognised() {
        assertTrue(ClientFaults.closedByClient(
                new UncheckedIOException(new IOException("Connection is closed", new EOFException()))));
        assertTrue(ClientFaults.closedByClient(new IOException("Broken pipe")));
        assertTrue(ClientFaults.closedByClient(new RuntimeException(new IOException("Connection reset by peer"))));
        assertFalse(ClientFaults.closedByClient(new IOException("No space left on device")));
        assertFalse(ClientFaults.closedByClient(new IllegalStateException("Connection is closed")));
        assertFalse(ClientFaults.closedByClient(new EOFException()));
        assertFalse(ClientFaults.closedByClient(null));
    }

    @Test
    void theStackTracesOfHangUpsBecomeOneLineASecondAndEverythingElsePasses() {
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        Handler capture = capture(lines);
        try {
            ClientFaults cut = new ClientFaults();
            Throwable hungUp = new UncheckedIOException(new IOException("Connection is closed"));
            for (int i = 0; i < 50; i++) {
                assertFalse(cut.isLoggable(record(Level.SEVERE, hungUp)), "a hang-up's stack trace is dropped");
            }
            // one line a second: two if the burst crosses the turn of a second
            assertTrue(lines.size() == 1 || lines.size() == 2, "one line for the burst: " + lines);
            assertEquals(Level.INFO, lines.get(0).getLevel());
            LogRecord traceInTheText = new LogRecord(
                    Level.WARNING,
                    "org.apache.catalina.core.StandardHostValve@6ddce5fb: Exception processing ErrorPage[errorCode=500,"
                            + " location=/sigil-error]\njava.io.IOException: Connection is closed\n"
                            + "\tat org.glassfish.grizzly.nio.NIOConnection.assertOpen(NIOConnection.java:427)\n");
            assertFalse(cut.isLoggable(traceInTheText), "the container writes the trace into the message");
            assertTrue(lines.size() <= 2, "still the second's one line: " + lines);
            assertTrue(
                    cut.isLoggable(
                            new LogRecord(
                                    Level.WARNING,
                                    "Exception processing ErrorPage\njava.io.IOException: No space left on device\n\tat x.y(Z.java:1)")));
            assertTrue(cut.isLoggable(new LogRecord(Level.WARNING, "Connection is closed, said the client")));
            assertTrue(cut.isLoggable(record(Level.SEVERE, new IOException("No space left on device"))));
            assertTrue(cut.isLoggable(record(Level.SEVERE, new IllegalStateException("boom"))));
            assertTrue(cut.isLoggable(record(Level.WARNING, null)));
        } finally {
            OWN.removeHandler(capture);
        }
    }

    @Test
    void itFiltersJerseysAndTheContainersLoggersWhileTheApplicationRunsAndKeepsTheirOwnFilters() {
        Logger jersey = Logger.getLogger(ClientFaults.LOGGERS.get(0));
        Logger web = Logger.getLogger(ClientFaults.LOGGERS.get(1));
        Filter webOwn = record -> !"private".equals(record.getMessage());
        web.setFilter(webOwn);
        ClientFaults cut = new ClientFaults();
        try {
            cut.install(null);
            LogRecord hangUp = record(Level.SEVERE, new IOException("Connection is closed"));
            assertFalse(jersey.getFilter().isLoggable(hangUp));
            assertFalse(web.getFilter().isLoggable(hangUp));
            assertTrue(jersey.getFilter().isLoggable(record(Level.SEVERE, new IllegalStateException("boom"))));
            Logger mapping = Logger.getLogger(ClientFaults.LOGGERS.get(2));
            assertFalse(mapping.getFilter().isLoggable(record(Level.SEVERE, new Exception("Host is not set"))));
            assertTrue(web.getFilter().isLoggable(new LogRecord(Level.WARNING, "public")));
            assertFalse(
                    web.getFilter().isLoggable(new LogRecord(Level.WARNING, "private")),
                    "the filter the logger had still applies");
        } finally {
            cut.uninstall(null);
        }
        assertNull(jersey.getFilter(), "its own filter is removed at the end");
        assertNull(Logger.getLogger(ClientFaults.LOGGERS.get(2)).getFilter());
        assertSame(webOwn, web.getFilter(), "and the one before is back");
        web.setFilter(null);
    }

    @Test
    void aRequestTheContainerCannotMapIsOneLineToo() {
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        Handler capture = capture(lines);
        try {
            ClientFaults cut = new ClientFaults();
            for (Throwable unmapped : List.of(
                    new Exception("Host is not set"),
                    new IllegalArgumentException("URLDecoder: Illegal hex characters in escape (%) pattern - %zz"),
                    thrownBy(new IllegalStateException("Unexpected termination"), ClientFaults.URL_DECODER))) {
                assertFalse(cut.isLoggable(record(Level.SEVERE, unmapped)), unmapped.toString());
            }
            assertTrue(lines.size() == 1 || lines.size() == 2, "one line a window: " + lines);
            assertTrue(lines.get(0).getMessage().contains("without a usable Host header"), lines::toString);
            for (Throwable other : List.of(
                    new RuntimeException("Host is not set"),
                    new IllegalArgumentException("something else"),
                    thrownBy(new IllegalStateException("Unexpected termination"), "org.example.Elsewhere"),
                    thrownBy(new IllegalStateException("something else"), ClientFaults.URL_DECODER),
                    new Exception("something else"))) {
                assertTrue(cut.isLoggable(record(Level.SEVERE, other)), other.toString());
            }
        } finally {
            OWN.removeHandler(capture);
        }
    }

    @Test
    void aCycleOfCausesEnds() {
        IOException first = new IOException("first");
        IllegalStateException second = new IllegalStateException("second", first);
        first.initCause(second);
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertFalse(ClientFaults.closedByClient(first)));
    }

    /** The exception as if thrown in {@code className}. */
    static Throwable thrownBy(Throwable thrown, String className) {
        thrown.setStackTrace(new StackTraceElement[] {new StackTraceElement(className, "decode", null, -1)});
        return thrown;
    }
}
