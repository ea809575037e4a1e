package dev.latchkey.verifier.servlet;

import dev.latchkey.verifier.AccessTokenVerifier;
import dev.latchkey.verifier.AuthorizationHeader;
import dev.latchkey.verifier.BearerErrorResponse;
import dev.latchkey.verifier.TokenVerificationException;
import dev.latchkey.verifier.VerifiedToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * A Jakarta Servlet filter that lets a request through only with a valid bearer access token holding the
 * required scopes, and puts the {@link VerifiedToken} on the request for the servlet:
 * <pre>{@code
 * context.addFilter("latchkey", new BearerTokenFilter(verifier, "read:patients"))
 *        .addMappingForUrlPatterns(null, false, "/patients/*");
 * VerifiedToken token = BearerTokenFilter.token(request);   // in the servlet
 * }</pre>
 * Refusals are answered 401, 403 or 400 with the RFC 6750 {@code WWW-Authenticate} challenge.
 */
public final class BearerTokenFilter implements Filter {

    /** The request attribute holding the {@link VerifiedToken}. */
    public static final String ATTRIBUTE = VerifiedToken.class.getName();

    private final AccessTokenVerifier verifier;
    private final String[] requiredScopes;

    public BearerTokenFilter(AccessTokenVerifier verifier, String... requiredScopes) {
        this.verifier = verifier;
        this.requiredScopes = List.of(requiredScopes).toArray(String[]::new);
    }

    /** The token the filter accepted for this request. */
    public static VerifiedToken token(ServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof VerifiedToken token) {
            return token;
        }
        throw new IllegalStateException("No BearerTokenFilter ran for this request");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        try {
            Enumeration<String> headers = http.getHeaders("Authorization"); // null if the container hides them
            String bearer = AuthorizationHeader.bearerToken(
                    headers == null ? Collections.emptyIterator() : headers.asIterator());
            VerifiedToken token = verifier.verify(bearer);
            token.requireScopes(requiredScopes);
            request.setAttribute(ATTRIBUTE, token);
        } catch (TokenVerificationException refusal) {
            refuse((HttpServletResponse) response, BearerErrorResponse.of(verifier.audience(), refusal));
            return;
        }
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, BearerErrorResponse answer) throws IOException {
        response.setStatus(answer.status());
        answer.wwwAuthenticate().ifPresent(challenge -> response.setHeader("WWW-Authenticate", challenge));
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(BearerErrorResponse.CONTENT_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(answer.jsonBody());
    }
}
