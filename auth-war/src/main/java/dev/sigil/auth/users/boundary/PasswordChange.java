package dev.sigil.auth.users.boundary;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The body of {@code PUT /auth/users/me/password}; the new password follows the registration rules. */
public record PasswordChange(
        @NotNull @Size(max = 1024) String current_password,
        @NotNull @Size(min = 12, max = 128) String new_password) {
}
