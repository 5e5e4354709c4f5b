package dev.sigil.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * Decoding of {@code application/x-www-form-urlencoded} names and values that refuses what
 * {@code URLDecoder} would patch: an escape of other than two ASCII hex digits, and bytes that
 * are not UTF-8, raw or escaped (which it turns into U+FFFD, so that two different secrets or
 * passwords would read alike), and text with a lone surrogate, which no bytes encode.
 */
public final class FormEncoding {

    private FormEncoding() {}

    /** @throws IllegalArgumentException for a malformed escape or bytes that are not UTF-8 */
    public static String decode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int high = i + 2 < text.length() ? hex(text.charAt(i + 1)) : -1;
                int low = high < 0 ? -1 : hex(text.charAt(i + 2));
                if (low < 0) {
                    throw new IllegalArgumentException("not valid form encoding");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                int codePoint = text.codePointAt(i);
                if (codePoint <= Character.MAX_VALUE && Character.isSurrogate((char) codePoint)) {
                    throw new IllegalArgumentException("a lone surrogate");
                }
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return Utf8.decode(bytes.toByteArray());
        } catch (CharacterCodingException notUtf8) {
            throw new IllegalArgumentException("not UTF-8", notUtf8);
        }
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9'
                ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
