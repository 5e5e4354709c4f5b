package dev.sigil.jwt;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a {@code text/event-stream} (server-sent events) as its bytes arrive and hands on the
 * data of each complete event: {@code data:} lines up to a blank line, several joined by a line
 * feed. Comments (lines starting with a colon, the server's heartbeats) and the fields this
 * client has no use for ({@code event}, {@code id}, {@code retry}) are skipped. Lines may end in
 * LF, CR or CRLF; both are single bytes that never occur inside a UTF-8 character, so lines are
 * cut before decoding. An event longer than {@code maxChars} fails the stream: the sender is not
 * one to trust.
 */
final class EventStreamParser {

    private final int maxChars;
    private final Consumer<String> onEvent;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private boolean afterCarriageReturn;

    EventStreamParser(int maxChars, Consumer<String> onEvent) {
        this.maxChars = maxChars;
        this.onEvent = onEvent;
    }

    /** Takes the next bytes of the stream. */
    void accept(ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b == '\n' && afterCarriageReturn) {
                afterCarriageReturn = false;
                continue;
            }
            afterCarriageReturn = b == '\r';
            if (b == '\n' || b == '\r') {
                line(line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else if (line.size() + data.length() >= maxChars) {
                throw new IOException("an event longer than " + maxChars + " characters");
            } else {
                line.write(b);
            }
        }
    }

    private void line(String text) throws IOException {
        if (text.isEmpty()) {
            if (hasData) {
                String event = data.toString();
                data.setLength(0);
                hasData = false;
                onEvent.accept(event);
            }
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        if (!field.equals("data")) {
            return;
        }
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (hasData) {
            data.append('\n');
        }
        data.append(value.startsWith(" ") ? value.substring(1) : value);
        hasData = true;
        if (data.length() > maxChars) {
            throw new IOException("an event longer than " + maxChars + " characters");
        }
    }
}
