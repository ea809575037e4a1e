package dev.latchkey.server.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A user's postal address, the Address Claim of OIDC Core §5.1.1. Every member is optional; an
 * address is kept only when one of them has a value.
 */
public record PostalAddress(String formatted, String streetAddress, String locality, String region,
                            String postalCode, String country) {

    /** The member names of OIDC Core §5.1.1, also used in the Management API and the database. */
    public static final Set<String> MEMBERS = Set.of("formatted", "street_address", "locality", "region",
            "postal_code", "country");

    /** From members named as in OIDC Core §5.1.1; null when none has a value. */
    public static PostalAddress of(Map<String, String> members) {
        PostalAddress address = new PostalAddress(members.get("formatted"), members.get("street_address"),
                members.get("locality"), members.get("region"), members.get("postal_code"), members.get("country"));
        return address.members().isEmpty() ? null : address;
    }

    /** The members that have a value, named as in OIDC Core §5.1.1. */
    public Map<String, String> members() {
        Map<String, String> members = new LinkedHashMap<>();
        put(members, "formatted", formatted);
        put(members, "street_address", streetAddress);
        put(members, "locality", locality);
        put(members, "region", region);
        put(members, "postal_code", postalCode);
        put(members, "country", country);
        return members;
    }

    private static void put(Map<String, String> members, String name, String value) {
        if (value != null && !value.isEmpty()) {
            members.put(name, value);
        }
    }
}
