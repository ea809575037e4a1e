package dev.latchkey.server.oauth.device;

import dev.latchkey.server.audit.AuditLog;
import dev.latchkey.server.audit.LogEvent;
import dev.latchkey.server.interaction.Outcome;
import dev.latchkey.server.interaction.Step;
import dev.latchkey.server.token.Authorization;
import dev.latchkey.server.token.TokenIssuer;
import dev.latchkey.server.ui.OutcomeResponder;
import dev.latchkey.server.ui.Pages;
import io.javalin.http.Context;

import java.time.Clock;
import java.util.Map;

/**
 * Ends a login transaction that ends in a device approval (RFC 8628 §3.3): the user logged in and confirmed
 * the device's client and scopes, so an authorization is recorded for them and the device code is marked
 * approved with it, which the device's next poll exchanges; or the user declined, and the code is marked
 * denied. Either way the browser gets a done page. The decision is one conditional update: of two users
 * confirming one code, the second is told the code was used already.
 */
public final class DeviceApprovalCompletion implements OutcomeResponder {

    static final String USED = "This code was already used or has expired. Start again on your device.";

    private final DeviceCodeStore codes;
    private final TokenIssuer issuer;
    private final Pages pages;
    private final AuditLog log;
    private final Clock clock;

    public DeviceApprovalCompletion(DeviceCodeStore codes, TokenIssuer issuer, Pages pages, AuditLog log,
                                    Clock clock) {
        this.codes = codes;
        this.issuer = issuer;
        this.pages = pages;
        this.log = log;
        this.clock = clock;
    }

    @Override
    public void complete(Context ctx, Step.Complete step) {
        Outcome.DeviceApproval outcome = (Outcome.DeviceApproval) step.outcome();
        Authorization authorization = issuer.authorize(step.user().userId(), step.client(), step.api(),
                outcome.request().scopes(), step.authentication().sid(), step.authentication().authTime(), null);
        DeviceCode.Approval approval = new DeviceCode.Approval(step.user().userId(), authorization.scopes(),
                authorization.id(), step.authentication().authTime(), step.authentication().sid());
        if (!codes.approve(outcome.deviceCodeId(), approval, clock.instant())) {
            pages.error(ctx, 400, "Code already used", USED, null);
            return;
        }
        pages.message(ctx, "Device connected", "Your device is now connected to " + step.client().name()
                + ". You can close this page and return to your device.");
    }

    @Override
    public void fail(Context ctx, Outcome outcome, String error, String description) {
        Outcome.DeviceApproval device = (Outcome.DeviceApproval) outcome;
        codes.deny(device.deviceCodeId(), clock.instant());
        // Auth0's fdecc: the user cancelled the device confirmation.
        log.record(new LogEvent("fdecc", description, outcome.request().clientId(), null, null, null, null, null,
                Map.of("error", error)));
        pages.message(ctx, "Device not connected", "You declined the request; the device was not connected.");
    }
}
