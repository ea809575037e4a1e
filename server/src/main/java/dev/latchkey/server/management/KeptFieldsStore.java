package dev.latchkey.server.management;

import java.util.Collection;
import java.util.Map;

/**
 * The properties of Management API objects that Latchkey accepts and returns but does not act on (a client's
 * {@code logo_uri} or {@code addons}, a client grant's {@code organization_usage}, ...), one JSON object per
 * object, named by its kind and id.
 */
public interface KeptFieldsStore {

    String CLIENT = "client";
    String RESOURCE_SERVER = "resource_server";
    String CLIENT_GRANT = "client_grant";
    String ROLE = "role";

    /** The kept properties of one object; empty when it has none. */
    Map<String, Object> read(String kind, String id);

    /** The kept properties of several objects of one kind, by id; an object without any is absent. */
    Map<String, Map<String, Object>> readAll(String kind, Collection<String> ids);

    /** Replaces the kept properties of one object; an empty map removes them. */
    void write(String kind, String id, Map<String, Object> fields);

    void delete(String kind, String id);
}
