package dev.sigil.business.orders.boundary;

import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;

/**
 * The body of {@code POST /business/orders}. The quantity is read as a decimal so that
 * {@code 1.5} is refused as it is, instead of being silently truncated to an integer. A whole
 * number counts whatever its JSON spelling ({@code 2}, {@code 2.0}, {@code 2e0}), as JSON Schema's
 * {@code integer} does. Stripping trailing zeros takes one division per zero, which stays cheap
 * because the body reader refuses numbers of more than 1,100 characters; the whole-number check
 * allows any number of digits ({@code 1e2000} too), so that a large whole number is told only
 * that it is too large. The item loses invisible
 * characters at both ends (no-break spaces too, see {@link VisibleText}); its
 * length counts UTF-16 code units, as H2's column does, so an emoji outside the Basic
 * Multilingual Plane counts as two.
 */
public record OrderRequest(
        @VisibleText @Size(max = 200, message = "must be at most 200 UTF-16 code units (an emoji may count as two)")
                String item,
        @NotNull
                @Digits(integer = Integer.MAX_VALUE, fraction = 0, message = "must be a whole number")
                @Min(1)
                @Max(1000)
                BigDecimal quantity) {

    public OrderRequest {
        item = VisibleText.Check.strip(item);
        quantity = quantity == null ? null : quantity.stripTrailingZeros();
    }
}
