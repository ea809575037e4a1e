package dev.latchkey.server.interaction;

import dev.latchkey.server.oauth.authorize.CheckedAuthorization;

import java.util.List;

/**
 * What a login transaction ends in once the user is known and has consented. The login and consent
 * pages work the same whatever the outcome; only completing it differs.
 */
public sealed interface Outcome permits Outcome.AuthorizationResponse, Outcome.DeviceApproval {

    /**
     * What the user is asked to grant: the client, the scopes and audience, and the {@code prompt},
     * {@code max_age} and {@code login_hint} that shape the login.
     */
    CheckedAuthorization request();

    /** The same outcome granting only {@code granted} (RBAC narrows the scopes once the user is known). */
    Outcome withScopes(List<String> granted);

    /** Where the browser is sent when the transaction ends, the pages' forms may lead there; null: nowhere else. */
    String returnTo();

    /** A response from {@code /authorize} to the client's redirect URI (RFC 6749 §4.1.2, §4.2.2). */
    record AuthorizationResponse(CheckedAuthorization request) implements Outcome {

        @Override
        public AuthorizationResponse withScopes(List<String> granted) {
            return new AuthorizationResponse(request.withScopes(granted));
        }

        @Override
        public String returnTo() {
            return request.redirectUri();
        }
    }

    /**
     * The approval of a device code (RFC 8628 §3.3): {@code request} carries the device's client, scopes and
     * audience, with {@code prompt=consent} so that the user always sees and confirms them; completing it marks
     * the code {@code deviceCodeId} approved or denied, and the browser stays on this server's pages.
     */
    record DeviceApproval(CheckedAuthorization request, String deviceCodeId) implements Outcome {

        @Override
        public DeviceApproval withScopes(List<String> granted) {
            return new DeviceApproval(request.withScopes(granted), deviceCodeId);
        }

        @Override
        public String returnTo() {
            return null;
        }
    }
}
