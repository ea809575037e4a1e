package dev.latchkey.server.management;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.latchkey.server.http.Json;
import dev.latchkey.server.registry.Client;
import dev.latchkey.server.registry.RegistryLookups;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The answers of {@code GET /api/v2/clients/{id}}, serialised once per version of a client rather than once per
 * call: building the object tree and writing it with Jackson were a tenth of such a call's CPU.
 * <p>
 * A version is the pair of objects an answer is made from: the client as {@link RegistryLookups} holds it, and its
 * kept properties as {@link KeptFieldsCache} holds them. Both hand out the same object until a write through this
 * node or their TTL replaces it, and an entry here serves only while both are the very objects it was made from
 * ({@code ==}), so an answer is never older than what those caches give. Nothing needs invalidating here.
 * <p>
 * The secret is never kept: an entry is cut where {@code client_secret} goes, and the secret, opened per call, is
 * put between the two parts.
 */
final class ClientJsonCache {

    private static final int MAX_ENTRIES = 1_000;
    private static final byte[] SECRET_NAME = "\"client_secret\":\"".getBytes(StandardCharsets.UTF_8);

    /** An answer as two objects: the properties before {@code client_secret}, and those after it. */
    record Parts(ObjectNode head, ObjectNode tail) {
    }

    /** The members of each part as JSON, without the braces around them. */
    private record Entry(Client client, Map<String, Object> kept, byte[] head, byte[] tail) {
    }

    private final Cache<String, Entry> entries = Caffeine.newBuilder().expireAfterWrite(RegistryLookups.TTL)
            .maximumSize(MAX_ENTRIES).build();

    /**
     * The answer for {@code client} with its {@code kept} properties, holding {@code secret} unless it is null;
     * {@code view} makes the two parts when this version of the client has none here yet.
     */
    byte[] answer(Client client, Map<String, Object> kept, String secret,
                  BiFunction<Client, Map<String, Object>, Parts> view) {
        Entry entry = entries.getIfPresent(client.clientId());
        if (entry == null || entry.client() != client || entry.kept() != kept) {
            entry = serialise(client, kept, view.apply(client, kept));
            entries.put(client.clientId(), entry);
        }
        return secret == null ? join(entry.head(), entry.tail())
                : join(entry.head(), secretMember(secret), entry.tail());
    }

    private static Entry serialise(Client client, Map<String, Object> kept, Parts parts) {
        return new Entry(client, kept, members(parts.head()), members(parts.tail()));
    }

    private static byte[] members(ObjectNode node) {
        try {
            byte[] object = Json.MAPPER.writeValueAsBytes(node);
            return Arrays.copyOfRange(object, 1, object.length - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise a client", e);
        }
    }

    /**
     * A JSON object of these members (each {@code "name":value,...}, possibly none), in order, written straight into
     * an array of its final length (no buffer to grow and copy out: the answer is written per call).
     */
    private static byte[] join(byte[]... members) {
        int length = 2;
        for (byte[] m : members) {
            length += m.length > 0 ? m.length + 1 : 0;
        }
        byte[] answer = new byte[Math.max(2, length - 1)];
        int at = 0;
        answer[at++] = '{';
        for (byte[] m : members) {
            if (m.length > 0) {
                if (at > 1) {
                    answer[at++] = ',';
                }
                System.arraycopy(m, 0, answer, at, m.length);
                at += m.length;
            }
        }
        answer[at] = '}';
        return answer;
    }

    /** {@code "client_secret":"<secret>"}, escaped as JSON (RFC 8259 §7). */
    private static byte[] secretMember(String secret) {
        byte[] quoted = JsonStringEncoder.getInstance().quoteAsUTF8(secret);
        byte[] member = Arrays.copyOf(SECRET_NAME, SECRET_NAME.length + quoted.length + 1);
        System.arraycopy(quoted, 0, member, SECRET_NAME.length, quoted.length);
        member[member.length - 1] = '"';
        return member;
    }
}
