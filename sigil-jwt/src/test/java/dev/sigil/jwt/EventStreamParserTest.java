package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamParserTest {

    final List<String> events = new ArrayList<>();
    final EventStreamParser cut = new EventStreamParser(64, events::add);

    void feed(String text) throws IOException {
        cut.accept(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anEventEndsAtABlankLine() throws IOException {
        feed("data: a.b.c\n");
        assertEquals(List.of(), events, "not complete before the blank line");
        feed("\n");
        assertEquals(List.of("a.b.c"), events);
    }

    @Test
    void severalDataLinesAreJoinedByALineFeedAndOnlyOneLeadingSpaceIsDropped() throws IOException {
        feed("data:first\ndata:  second\n\n");
        assertEquals(List.of("first\n second"), events);
    }

    @Test
    void commentsAndOtherFieldsAreSkipped() throws IOException {
        feed(": heartbeat\n\nevent: revocations\nid: 7\nretry: 10\ndata: doc\n\n:\n\n");
        assertEquals(List.of("doc"), events, "a comment alone makes no event");
    }

    @Test
    void linesMayEndInCrLfOrCr() throws IOException {
        feed("data: one\r\n\r\ndata: two\r\rdata: three\n\n");
        assertEquals(List.of("one", "two", "three"), events);
    }

    @Test
    void aCrLfSplitBetweenChunksIsOneLineEnd() throws IOException {
        feed("data: one\r");
        feed("\n\r");
        feed("\n");
        assertEquals(List.of("one"), events);
    }

    @Test
    void aCharacterSplitBetweenChunksIsDecodedWhole() throws IOException {
        byte[] bytes = "data: \u00e9t\u00e9\n\n".getBytes(StandardCharsets.UTF_8);
        cut.accept(ByteBuffer.wrap(bytes, 0, 7));
        cut.accept(ByteBuffer.wrap(bytes, 7, bytes.length - 7));
        assertEquals(List.of("\u00e9t\u00e9"), events);
    }

    @Test
    void anEventLongerThanTheLimitFailsTheStream() throws IOException {
        feed("data: " + "x".repeat(40) + "\n");
        assertThrows(IOException.class, () -> feed("data: " + "y".repeat(40) + "\n"));
        assertThrows(
                IOException.class,
                () -> new EventStreamParser(64, events::add)
                        .accept(ByteBuffer.wrap(("data: " + "z".repeat(100)).getBytes(StandardCharsets.UTF_8))),
                "nor may a line without an end grow beyond it");
        assertEquals(List.of(), events);
    }
}
