/**
 * Device authorization (RFC 8628; Auth0 §1.5): {@code POST /oauth/device/code} gives a device a device code
 * and a user code ({@link dev.latchkey.server.oauth.device.DeviceAuthorizationEndpoint}); the user enters the
 * code at {@code /activate} ({@code ui.ActivatePage}), logs in and confirms on the login and consent pages,
 * whose transaction ends in a device approval ({@link dev.latchkey.server.oauth.device.DeviceApprovalCompletion});
 * the device polls the token endpoint ({@code oauth.grant.DeviceCodeGrant}) until then. The codes are kept in a
 * {@link dev.latchkey.server.oauth.device.DeviceCodeStore}, as digests only.
 */
package dev.latchkey.server.oauth.device;
