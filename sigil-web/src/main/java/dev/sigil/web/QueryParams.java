package dev.sigil.web;

/**
 * Query parameters read by hand, because JAX-RS answers an unconvertible {@code @QueryParam int}
 * with 404; here a bad value is a 400 that names the parameter.
 */
public final class QueryParams {

    private QueryParams() {}

    /** A whole number within {@code [min, max]}; absent or empty means {@code absent}. */
    public static int wholeNumber(String name, String value, int absent, int min, int max) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new ApiException(400, name + ": must be a whole number from " + min + " to " + max);
    }
}
