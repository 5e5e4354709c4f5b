package dev.sigil.auth.users.boundary;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /auth/users}. */
public record Registration(
        @NotBlank(message = "is required")
        @Size(max = 254, message = "must be at most 254 characters")
        @Email(regexp = "[^@\\s]+@[^@\\s]+\\.[^@\\s]+", message = "must be a valid email address")
        String email,

        @NotNull(message = "is required")
        @Size(min = 12, max = 128, message = "must be 12 to 128 characters")
        String password) {

    /** Surrounding white space is never part of an email; it is dropped before validation. */
    public Registration {
        email = email == null ? null : email.strip();
    }
}
