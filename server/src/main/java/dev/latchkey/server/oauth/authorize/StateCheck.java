package dev.latchkey.server.oauth.authorize;

// Rules: state, opaque to the server and echoed back (RFC 6749 §4.1.1, §4.1.2), is at most
//        2048 characters: it is stored with every login transaction. An over-long state is refused
//        with invalid_request and not echoed (see AuthorizeContext#state).
final class StateCheck implements AuthorizeCheck {

    static final int MAX_LENGTH = 2048;

    @Override
    public void check(AuthorizeContext context) {
        String state = context.param("state");
        if (state != null && state.length() > MAX_LENGTH) {
            throw AuthorizeException.invalidRequest("state is longer than " + MAX_LENGTH + " characters");
        }
    }
}
