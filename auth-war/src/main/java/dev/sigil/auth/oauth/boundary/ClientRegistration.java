package dev.sigil.auth.oauth.boundary;

import dev.sigil.auth.oauth.control.Clients;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * The body of {@code POST /auth/admin/clients}. The shapes are checked here; whether the id is
 * free, the groups allowed and the audiences configured, by {@code Clients}.
 */
public record ClientRegistration(
        @NotBlank(message = "is required")
                @Pattern(
                        regexp = Clients.ID_SHAPE,
                        message =
                                "must be 3 to 36 letters, digits, dots, dashes or underscores, starting with a letter or digit")
                String client_id,
        @Size(max = 32, message = "must name at most 32 groups")
                List<
                                @NotNull(message = "must not contain null")
                                @Pattern(
                                        regexp = "[A-Za-z0-9._-]{1,64}",
                                        message = "must be 1 to 64 letters, digits, dots, dashes or underscores")
                                String>
                        groups,
        @NotNull(message = "is required") @Size(min = 1, max = 16, message = "must name 1 to 16 audiences")
                List<@NotNull(message = "must not contain null") String> audiences) {

    /** No groups is a client with no groups. */
    public ClientRegistration {
        groups = groups == null ? List.of() : groups;
    }
}
