/**
 * The interaction engine: a browser's way through the login and consent pages, without HTTP. A
 * {@link dev.latchkey.server.interaction.LoginTransaction} knows what it ends in (an
 * {@link dev.latchkey.server.interaction.Outcome}); {@link dev.latchkey.server.interaction.InteractionEngine#resume}
 * decides, from that and what the browser brings ({@link dev.latchkey.server.interaction.SessionState}), the
 * next {@link dev.latchkey.server.interaction.Step}: show the login page, show the consent page, complete, or
 * fail. The pages and endpoints in {@code ui} and {@code oauth.authorize} translate HTTP to and from it.
 */
package dev.latchkey.server.interaction;
