package dev.latchkey.server.ui;

import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.Step;
import io.javalin.http.Context;

/** Ends a login transaction in the browser, the way its {@link Outcome} ends: with a response, or an error. */
public interface OutcomeResponder {

    /** Delivers the completed outcome: for an authorization response, issues it and sends it to the client. */
    void complete(Context ctx, Step.Complete step);

    /** Ends {@code outcome} with an error for whoever asked for it (RFC 6749 §4.1.2.1 for the client). */
    void fail(Context ctx, Outcome outcome, String error, String description);
}
