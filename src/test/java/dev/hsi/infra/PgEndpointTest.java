package dev.hsi.infra;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PgEndpointTest {

    @Test
    @DisplayName("The original's postgresql+asyncpg URL gives host, port, database, user and password")
    void readsAsyncpgUrl() {
        PgEndpoint endpoint = PgEndpoint.fromUrl("postgresql+asyncpg://u:p@db:5433/security");

        assertThat(endpoint).isEqualTo(new PgEndpoint("db", 5433, "security", "u", "p"));
        assertThat(endpoint.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5433/security");
    }

    @Test
    @DisplayName("Without a port the PostgreSQL default 5432 is used")
    void defaultPort() {
        PgEndpoint endpoint = PgEndpoint.fromUrl("postgres://hsi:secret@localhost/security");

        assertThat(endpoint.host()).isEqualTo("localhost");
        assertThat(endpoint.port()).isEqualTo(5432);
        assertThat(endpoint.database()).isEqualTo("security");
    }

    @Test
    @DisplayName("The endpoint's text form never shows the password")
    void toStringHidesPassword() {
        PgEndpoint endpoint = PgEndpoint.fromUrl("postgresql://u:hunter2@db:5433/security");

        assertThat(endpoint.toString()).doesNotContain("hunter2");
    }

    @Test
    @DisplayName("Host names with underscores, common for container services, are read correctly")
    void underscoreHost() {
        assertThat(PgEndpoint.fromUrl("postgresql://u:p@hsi_db:5432/security"))
                .isEqualTo(new PgEndpoint("hsi_db", 5432, "security", "u", "p"));
    }
}
