package dev.latchkey.server.registry;

/** Whether some application lists an origin among its Allowed Web Origins ({@code web_origins}). */
@FunctionalInterface
public interface KnownWebOrigins {

    boolean known(String origin);
}
