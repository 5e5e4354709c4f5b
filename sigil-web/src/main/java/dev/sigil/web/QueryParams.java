package dev.sigil.web;

/**
 * Query parameters read by hand, because JAX-RS answers an unconvertible {@code @QueryParam int}
 * with 404; here a bad value is a 400 that names the parameter.
 */
public final class QueryParams {

    private QueryParams() {}

    /**
     * A whole number within {@code [min, max]}, in ASCII digits with an optional sign; absent or
     * empty means {@code absent}. {@code Integer.parseInt} alone also reads other scripts' digits
     * ({@code ٣} as 3), which a proxy or log reading the same URL would not.
     */
    public static int wholeNumber(String name, String value, int absent, int min, int max) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            if (!value.chars().allMatch(c -> c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
                throw new NumberFormatException("not ASCII digits");
            }
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ApiException.invalidField(name, "must be a whole number from " + min + " to " + max);
    }
}
