package dev.latchkey.server.registry;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys longer than their column (client_id VARCHAR(64), identifier and audience VARCHAR(600)) name nothing:
 * they are answered as unknown without a store look-up, so a flood of long junk ids neither reaches the
 * database nor fills the caches with large keys.
 */
class RegistryLookupsTest {

    private final List<String> lookedUp = new ArrayList<>();
    private final RegistryLookups lookups = new RegistryLookups(store(ClientStore.class),
            store(ResourceServerStore.class), store(ClientGrantStore.class), store(TenantSettingsStore.class));

    /** A store that finds nothing and records every key it was asked for. */
    private <T> T store(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, (proxy, method, args) -> {
            if (method.getName().startsWith("find") && args != null) {
                for (Object arg : args) {
                    lookedUp.add((String) arg);
                }
                return Optional.empty();
            }
            throw new UnsupportedOperationException(method.getName());
        }));
    }

    @Test
    void clientIdsUpToTheColumnLengthAreLookedUpLongerOnesNot() {
        String longest = "c".repeat(RegistryLookups.MAX_CLIENT_ID_LENGTH);
        assertThat(lookups.client(longest)).isEmpty();
        assertThat(lookups.client(longest + "c")).isEmpty();
        assertThat(lookups.client("")).isEmpty();
        assertThat(lookups.client(null)).isEmpty();
        assertThat(lookedUp).containsExactly(longest);
    }

    @Test
    void apiIdentifiersUpToTheColumnLengthAreLookedUpLongerOnesNot() {
        String longest = "https://api.example.com/" + "a".repeat(RegistryLookups.MAX_API_IDENTIFIER_LENGTH - 24);
        assertThat(lookups.api(longest)).isEmpty();
        assertThat(lookups.api(longest + "a")).isEmpty();
        assertThat(lookups.api(null)).isEmpty();
        assertThat(lookedUp).containsExactly(longest);
    }

    @Test
    void aClientGrantIsLookedUpOnlyWhenBothKeysFit() {
        String client = "c".repeat(RegistryLookups.MAX_CLIENT_ID_LENGTH);
        String api = "https://api.example.com/";
        assertThat(lookups.clientGrant(client + "c", api)).isEmpty();
        assertThat(lookups.clientGrant(client, api + "a".repeat(RegistryLookups.MAX_API_IDENTIFIER_LENGTH))).isEmpty();
        assertThat(lookups.clientGrant("", api)).isEmpty();
        assertThat(lookedUp).isEmpty();
        assertThat(lookups.clientGrant(client, api)).isEmpty();
        assertThat(lookedUp).containsExactly(client, api);
    }
}
