package dev.sigil.auth.sessions.boundary;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /auth/refresh} and {@code POST /auth/logout}. The optional
 * {@code audience} chooses the new access token's audience at refresh; logout ignores it.
 */
public record RefreshRequest(
        @NotBlank(message = "is required") @Size(max = 256, message = "must be at most 256 characters")
                String refresh_token,
        String audience) {}
