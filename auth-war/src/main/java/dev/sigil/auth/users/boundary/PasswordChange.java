package dev.sigil.auth.users.boundary;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT /auth/users/me/password}; the new password follows the registration rules. */
public record PasswordChange(
        @NotNull(message = "is required") @Size(max = 1024, message = "must be at most 1024 characters")
                String current_password,
        @NotNull(message = "is required")
                @PasswordLength
                @Pattern(regexp = Registration.NO_CONTROL_CHARACTERS, message = "must not contain control characters")
                String new_password) {}
