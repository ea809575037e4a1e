package dev.latchkey.server.upstream;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GitHubEmailsTest {

    private static Map<String, Object> email(String address, boolean primary, boolean verified) {
        return Map.of("email", address, "primary", primary, "verified", verified);
    }

    @Test
    void thePrimaryVerifiedEmailWins() {
        assertThat(GitHubEmails.choose(List.of(email("old@x.example", false, true), email("me@x.example", true, true)),
                "public@x.example")).contains(new GitHubEmails.Email("me@x.example", true));
    }

    @Test
    void theProfilesEmailIsVerifiedOnlyWhenTheListSaysSo() {
        assertThat(GitHubEmails.choose(List.of(email("pub@x.example", false, true), email("me@x.example", true, false)),
                "pub@x.example")).contains(new GitHubEmails.Email("pub@x.example", true));
        assertThat(GitHubEmails.choose(List.of(email("me@x.example", true, false)), "pub@x.example"))
                .contains(new GitHubEmails.Email("pub@x.example", false));
    }

    @Test
    void onlyUnverifiedEmailsGiveThePrimaryUnverified() {
        assertThat(GitHubEmails.choose(List.of(email("a@x.example", false, false), email("b@x.example", true, false)),
                null)).contains(new GitHubEmails.Email("b@x.example", false));
        assertThat(GitHubEmails.choose(List.of("junk", Map.of("email", 1)), null)).isEmpty();
    }
}
