package dev.latchkey.bench;

import java.nio.charset.StandardCharsets;

/** A JWS signing input of the size an Auth0-shaped client-credentials token has (header.claims, ~390 bytes). */
final class SigningInput {

    static final byte[] CLIENT_CREDENTIALS_TOKEN = (
            "eyJraWQiOiJ1T0JFbWtGV1pQX3BfS3lDaVJfZnRUNi1lNFNaT2FwZHN6TVVNOXpHN1U0IiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ"
            + ".eyJzdWIiOiJ0NEV3a1p4OXdmN3RxSkM4Y1BQbWJWTXl5VFA2VGxRYkBjbGllbnRzIiwiYXVkIjoiaHR0cHM6Ly9leGFtcGxlLmNvbS9o"
            + "ZWFsdGgtYXBpIiwiYXpwIjoidDRFd2taeDl3Zjd0cUpDOGNQUG1iVk15eVRQNlRsUWIiLCJzY29wZSI6InJlYWQ6cGF0aWVudHMgcmVh"
            + "ZDphZG1pbiIsImlzcyI6Imh0dHA6Ly9sb2NhbGhvc3Q6ODA4MC8iLCJndHkiOiJjbGllbnQtY3JlZGVudGlhbHMiLCJleHAiOjE3OTUw"
            + "MDAwMDAsImlhdCI6MTc5NDkxMzYwMCwianRpIjoiR3Z6T1NmYVpqWW1wNFBTd2Z2a3BqZyJ9")
            .getBytes(StandardCharsets.US_ASCII);

    private SigningInput() {
    }
}
