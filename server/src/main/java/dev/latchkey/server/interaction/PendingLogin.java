package dev.latchkey.server.interaction;

/** A login transaction the browser is in, with its id as the page URLs carry it. */
public record PendingLogin(String id, LoginTransaction transaction) {
}
