package dev.latchkey.server.ui;

import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.Step;
import io.javalin.http.Context;

/** Hands a finished login transaction to the responder of its kind of {@link Outcome}. */
public final class OutcomeRouter implements OutcomeResponder {

    private final OutcomeResponder authorizationResponse;
    private final OutcomeResponder deviceApproval;

    public OutcomeRouter(OutcomeResponder authorizationResponse, OutcomeResponder deviceApproval) {
        this.authorizationResponse = authorizationResponse;
        this.deviceApproval = deviceApproval;
    }

    @Override
    public void complete(Context ctx, Step.Complete step) {
        responderOf(step.outcome()).complete(ctx, step);
    }

    @Override
    public void fail(Context ctx, Outcome outcome, String error, String description) {
        responderOf(outcome).fail(ctx, outcome, error, description);
    }

    private OutcomeResponder responderOf(Outcome outcome) {
        return outcome instanceof Outcome.DeviceApproval ? deviceApproval : authorizationResponse;
    }
}
