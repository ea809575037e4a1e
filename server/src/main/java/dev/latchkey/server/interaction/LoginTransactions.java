package dev.latchkey.server.interaction;

import dev.latchkey.server.keys.RandomStrings;
import dev.latchkey.server.keys.SecretHash;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Login transactions: browsers on their way through the login and consent pages. Each has a random id
 * (in the page URL) and is bound to the browser that opened it: the browser holds one random binding in
 * a cookie (one cookie however many logins it opens, so abandoned logins never pile cookies up), and a
 * transaction's forms carry the CSRF token {@code HMAC-SHA256(binding, id)}, stored only as a digest. A
 * form counts only when its token is the one the posting browser's binding gives for that transaction and
 * matches the stored digest, compared in constant time: a page cannot be posted from another site, and a login
 * opened in one browser cannot be finished in another. The page never shows the binding itself.
 */
public final class LoginTransactions {

    /** Time a user has to finish logging in. */
    public static final Duration LIFETIME = Duration.ofMinutes(30);
    /**
     * Open transactions one network may hold: each is a stored row for {@link #LIFETIME}, so without a cap
     * anyone could fill the disk through /authorize. A new login past the cap evicts the network's oldest
     * open one rather than being refused: one address is often a whole office or carrier NAT, and refusing
     * would let anyone there shut every browser out of logging in (OWASP ASVS 11.1.4); an evicted login
     * shows "expired" and starts again. Behind a proxy, list it in the trusted proxies, or every browser
     * counts as the proxy's address.
     */
    public static final int MAX_OPEN_PER_NETWORK = 100;

    private static final int BINDING_BYTES = 32;
    private static final Pattern BINDING = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final LoginTransactionStore store;
    private final Clock clock;

    public LoginTransactions(LoginTransactionStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Starts a transaction for the browser holding {@code browserBinding}, from {@code network} (an
     * {@link dev.latchkey.server.identity.IpNetwork}), evicting the network's oldest open transaction
     * when it holds {@link #MAX_OPEN_PER_NETWORK}; returns its id, for the page URLs.
     */
    public String start(Outcome outcome, Authentication authentication, String network,
                        String browserBinding) {
        PendingLogin draft = draft(outcome, network, browserBinding);
        save(authentication == null ? draft.transaction() : draft.transaction().authenticatedAs(authentication));
        return draft.id();
    }

    /**
     * A transaction as {@link #start} opens it, not stored: one that may end without showing a page (a login at
     * an upstream provider carries it in its sealed state), stored with {@link #save} only if a page follows.
     */
    public PendingLogin draft(Outcome outcome, String network, String browserBinding) {
        String id = RandomStrings.base64url(24);
        Instant now = clock.instant();
        return new PendingLogin(id, new LoginTransaction(SecretHash.of(id), outcome,
                SecretHash.of(csrfToken(browserBinding, id)), network, null, null, null, now, now.plus(LIFETIME)),
                false);
    }

    /** Stores {@code tx} (a {@link #draft}, maybe authenticated since), within its network's cap. */
    public void save(LoginTransaction tx) {
        int open = store.countOpen(tx.network(), clock.instant());
        if (open >= MAX_OPEN_PER_NETWORK) {
            store.deleteOldest(tx.network(), open - MAX_OPEN_PER_NETWORK + 1);
        }
        store.create(tx);
    }

    public Optional<LoginTransaction> find(String id) {
        if (id == null || id.isEmpty() || id.length() > 100) {
            return Optional.empty();
        }
        return store.find(SecretHash.of(id)).filter(tx -> !tx.expired(clock.instant()));
    }

    public LoginTransaction authenticated(LoginTransaction tx, Authentication authentication) {
        store.authenticated(tx.idHash(), authentication.userId(), authentication.authTime(), authentication.sid());
        return tx.authenticatedAs(authentication);
    }

    public void finish(LoginTransaction tx) {
        store.delete(tx.idHash());
    }

    /**
     * The binding to keep for a browser that sent {@code cookies} under the binding's name: the first one of
     * the shape this server hands out, or a new one. Over plain HTTP a sibling host can plant a cookie of the
     * same name beside ours (browsers send it first when it is older), so every value is looked at.
     */
    public static String bindingToKeep(List<String> cookies) {
        return cookies.stream().filter(LoginTransactions::isBrowserBinding).findFirst()
                .orElseGet(() -> RandomStrings.base64url(BINDING_BYTES));
    }

    /**
     * The CSRF token of transaction {@code id} for the browser that sent {@code cookies} under the binding's
     * name, or empty when none of them is the binding of the browser that opened the transaction.
     */
    public static Optional<String> csrfFor(LoginTransaction tx, String id, List<String> cookies) {
        if (id == null) {
            return Optional.empty();
        }
        return cookies.stream().filter(LoginTransactions::isBrowserBinding)
                .map(binding -> csrfToken(binding, id))
                .filter(csrf -> SecretHash.matches(csrf, tx.csrfHash()))
                .findFirst();
    }

    /** True when the posted token is the transaction's token for the posting browser. */
    public static boolean csrfValid(LoginTransaction tx, String id, String posted, List<String> cookies) {
        Optional<String> expected = csrfFor(tx, id, cookies);
        return posted != null && expected.isPresent() && MessageDigest.isEqual(
                posted.getBytes(StandardCharsets.UTF_8), expected.get().getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isBrowserBinding(String value) {
        return value != null && BINDING.matcher(value).matches();
    }

    private static String csrfToken(String browserBinding, String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(browserBinding.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return B64URL.encodeToString(mac.doFinal(id.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
