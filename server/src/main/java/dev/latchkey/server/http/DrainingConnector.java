package dev.latchkey.server.http;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.util.concurrent.CompletableFuture;

/**
 * A connector whose part in a graceful stop ends as soon as it has stopped accepting. Jetty's own waits
 * until every connection has closed, so one idle keep-alive connection (any client's pool, any load
 * balancer's) held each stop for the whole shutdown idle timeout. The stop still waits for the requests in
 * flight ({@code GracefulHandler}, up to the drain time, slow uploads included: a request is counted from
 * its headers on); once they are done the connections left are idle and are closed at once.
 */
final class DrainingConnector extends ServerConnector {

    DrainingConnector(Server server, ConnectionFactory... factories) {
        super(server, factories);
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        super.shutdown();
        return CompletableFuture.completedFuture(null);
    }
}
