package dev.latchkey.verifier;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Calls a protected test endpoint the way an API client would. */
public final class AdapterClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public AdapterClient(String base) {
        this.base = base;
    }

    /** GETs {@code path} with one {@code Authorization} header per value given. */
    public HttpResponse<String> get(String path, String... authorizations) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        for (String authorization : authorizations) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static String challenge(HttpResponse<?> response) {
        return response.headers().firstValue("WWW-Authenticate").orElse(null);
    }
}
