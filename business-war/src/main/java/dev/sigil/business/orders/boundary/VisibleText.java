package dev.sigil.business.orders.boundary;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Text that a person reads in a list: not null, with at least one visible character (a letter,
 * number, punctuation mark or symbol), and with no control characters, line or paragraph
 * separators, or direction controls. {@code @NotBlank} counts only characters up to
 * U+0020 as blank, so a no-break space or a zero-width space alone would pass it; a right-to-left
 * override or a terminal escape makes one entry read as another in an administrator's list.
 * Joiners and variation selectors inside the text stay allowed (emoji sequences use them).
 */
@Documented
@Constraint(validatedBy = VisibleText.Check.class)
@Target({FIELD, PARAMETER})
@Retention(RUNTIME)
public @interface VisibleText {

    String message() default "must not be blank";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** The rules, and the stripping {@link OrderRequest} applies before them. */
    class Check implements ConstraintValidator<VisibleText, String> {

        /**
         * The text without the invisible characters at either end (tag characters stay: a flag
         * of a region ends with one); null stays null.
         */
        public static String strip(String text) {
            if (text == null) {
                return null;
            }
            int start = 0;
            int end = text.length();
            while (start < end && strippable(text.codePointAt(start))) {
                start += Character.charCount(text.codePointAt(start));
            }
            while (end > start && strippable(text.codePointBefore(end))) {
                end -= Character.charCount(text.codePointBefore(end));
            }
            return text.substring(start, end);
        }

        /** Invisible, but neither a tag nor a direction control, which is refused wherever it is. */
        private static boolean strippable(int codePoint) {
            return isInvisible(codePoint) && !isTag(codePoint) && !isDirectionControl(codePoint);
        }

        /**
         * White space of any kind (the no-break spaces included), the characters that take no
         * room (format characters: zero-width spaces and joiners, word joiner, soft hyphen, byte
         * order mark, tags, ...), and the letters and symbols that render as blank (the Hangul
         * fillers, the blank Braille pattern).
         */
        public static boolean isInvisible(int codePoint) {
            return Character.isWhitespace(codePoint)
                    || Character.isSpaceChar(codePoint)
                    || Character.getType(codePoint) == Character.FORMAT
                    || codePoint == 0x034F
                    || codePoint == 0x115F
                    || codePoint == 0x1160
                    || codePoint == 0x17B4
                    || codePoint == 0x17B5
                    || codePoint == 0x180E
                    || codePoint == 0x2800
                    || codePoint == 0x3164
                    || codePoint == 0xFFA0;
        }

        /**
         * A character that shows: a letter, number, punctuation mark or symbol that is not
         * invisible. A combining mark or a variation selector alone shows nothing.
         */
        public static boolean isVisible(int codePoint) {
            return switch (Character.getType(codePoint)) {
                case Character.UPPERCASE_LETTER,
                        Character.LOWERCASE_LETTER,
                        Character.TITLECASE_LETTER,
                        Character.MODIFIER_LETTER,
                        Character.OTHER_LETTER,
                        Character.DECIMAL_DIGIT_NUMBER,
                        Character.LETTER_NUMBER,
                        Character.OTHER_NUMBER,
                        Character.CONNECTOR_PUNCTUATION,
                        Character.DASH_PUNCTUATION,
                        Character.START_PUNCTUATION,
                        Character.END_PUNCTUATION,
                        Character.INITIAL_QUOTE_PUNCTUATION,
                        Character.FINAL_QUOTE_PUNCTUATION,
                        Character.OTHER_PUNCTUATION,
                        Character.MATH_SYMBOL,
                        Character.CURRENCY_SYMBOL,
                        Character.MODIFIER_SYMBOL,
                        Character.OTHER_SYMBOL -> !isInvisible(codePoint);
                default -> false;
            };
        }

        private static boolean isTag(int codePoint) {
            return codePoint >= 0xE0000 && codePoint <= 0xE007F;
        }

        /** The characters that reorder the text around them (Unicode's bidirectional controls). */
        public static boolean isDirectionControl(int codePoint) {
            return codePoint == 0x061C
                    || codePoint == 0x200E
                    || codePoint == 0x200F
                    || (codePoint >= 0x202A && codePoint <= 0x202E)
                    || (codePoint >= 0x2066 && codePoint <= 0x2069);
        }

        /** The first rule the text breaks, or null. */
        public static String problem(String text) {
            if (text == null) {
                return "must not be blank";
            }
            boolean visible = false;
            for (int i = 0; i < text.length(); ) {
                int codePoint = text.codePointAt(i);
                int type = Character.getType(codePoint);
                if (type == Character.CONTROL
                        || type == Character.LINE_SEPARATOR
                        || type == Character.PARAGRAPH_SEPARATOR) {
                    return "must not contain control characters"; // line breaks too, also U+2028
                }
                if (isDirectionControl(codePoint)) {
                    return "must not contain direction controls";
                }
                visible |= isVisible(codePoint);
                i += Character.charCount(codePoint);
            }
            return visible ? null : "must not be blank";
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            String problem = problem(text);
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }
    }
}
