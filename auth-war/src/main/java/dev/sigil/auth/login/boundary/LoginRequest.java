package dev.sigil.auth.login.boundary;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /auth/login}. Only presence and an upper bound are checked here: a
 * password that breaks the registration rules simply does not match. The optional
 * {@code audience} chooses the access token's audience; it is checked against the configured
 * ones before the password is.
 */
public record LoginRequest(
        @NotBlank(message = "is required") @Size(max = 254, message = "must be at most 254 characters") String email,
        @NotNull(message = "is required") @Size(max = 1024, message = "must be at most 1024 characters")
                String password,
        String audience) {

    /** Surrounding white space is never part of an email; it is dropped before validation. */
    public LoginRequest {
        email = email == null ? null : email.strip();
    }
}
