package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ClientDisconnectsTest {

    static LogRecord record(Level level, Throwable thrown) {
        LogRecord record = new LogRecord(level, "Error while closing the output stream in order to commit response.");
        record.setThrown(thrown);
        return record;
    }

    @Test
    void onlyAConnectionTheClientClosedIsRecognised() {
        assertTrue(ClientDisconnects.closedByClient(
                new UncheckedIOException(new IOException("Connection is closed", new EOFException()))));
        assertTrue(ClientDisconnects.closedByClient(new IOException("Broken pipe")));
        assertTrue(ClientDisconnects.closedByClient(new RuntimeException(new IOException("Connection reset by peer"))));
        assertFalse(ClientDisconnects.closedByClient(new IOException("No space left on device")));
        assertFalse(ClientDisconnects.closedByClient(new IllegalStateException("Connection is closed")));
        assertFalse(ClientDisconnects.closedByClient(new EOFException()));
        assertFalse(ClientDisconnects.closedByClient(null));
    }

    @Test
    void theStackTracesOfHangUpsBecomeOneLineASecondAndEverythingElsePasses() {
        List<LogRecord> lines = new CopyOnWriteArrayList<>();
        Logger own = Logger.getLogger(ClientDisconnects.class.getName());
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
        own.addHandler(capture);
        try {
            ClientDisconnects cut = new ClientDisconnects();
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
            own.removeHandler(capture);
        }
    }

    @Test
    void itFiltersJerseysAndTheContainersLoggersWhileTheApplicationRuns() {
        ClientDisconnects cut = new ClientDisconnects();
        Filter other = record -> true;
        Logger foreign = Logger.getLogger("dev.sigil.web.ClientDisconnectsTest.foreign");
        foreign.setFilter(other);
        cut.install(null);
        for (String name : ClientDisconnects.LOGGERS) {
            assertSame(cut, Logger.getLogger(name).getFilter(), name);
        }
        assertSame(other, foreign.getFilter(), "other loggers are left alone");
        Logger jersey = Logger.getLogger(ClientDisconnects.LOGGERS.get(0));
        Filter later = record -> true;
        Logger.getLogger(ClientDisconnects.LOGGERS.get(1)).setFilter(later);
        cut.uninstall(null);
        assertNull(jersey.getFilter(), "its own filter is removed at the end");
        assertSame(later, Logger.getLogger(ClientDisconnects.LOGGERS.get(1)).getFilter(), "another's is not");
        Logger.getLogger(ClientDisconnects.LOGGERS.get(1)).setFilter(null);
    }
}
