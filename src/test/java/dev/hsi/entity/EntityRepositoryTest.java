package dev.hsi.entity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.hsi.infra.EmbeddedPostgresServer;
import dev.hsi.infra.Migrations;
import dev.hsi.support.Db;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.PoolOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Integrity in the application for entities.primary_detection_id, on a real PostgreSQL 17. */
class EntityRepositoryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant SEEN = Instant.parse("2026-11-20T08:00:00Z");

    @TempDir
    static Path dataDir;
    static EmbeddedPostgresServer postgres;
    static Db db;
    static Vertx vertx;
    static EntityRepository entities;
    static long detection;

    @BeforeAll
    static void start() {
        postgres = EmbeddedPostgresServer.start(dataDir.resolve("pg"));
        Migrations.migrate(postgres.endpoint());
        db = new Db(postgres.endpoint());
        vertx = Vertx.vertx();
        entities = new EntityRepository(Pool.newInstance(PgBuilder.pool().with(new PoolOptions().setMaxSize(2))
                .connectingTo(postgres.endpoint().connectOptions()).using(vertx.getDelegate()).build()));
        db.update("INSERT INTO cameras (id, name, folder_path) VALUES ('garage', 'Garage', '/f/garage')");
        detection = db.count("INSERT INTO detections (camera_id, file_path, detected_at, object_type)"
                + " VALUES ('garage', '/f/garage/a.jpg', ?, 'person') RETURNING id", OffsetDateTime.parse("2026-11-20T08:00:00Z"));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.closeAndAwait();
        postgres.close();
    }

    private static Entity person(Long primaryDetection) {
        return new Entity(UUID.randomUUID(), "person", "unknown", new JsonArray().add(0.25).add(-1.5), SEEN, SEEN, 1,
                new JsonObject().put("clothing", "red jacket"), primaryDetection);
    }

    @Test
    @DisplayName("Creating an entity whose primary detection does not exist is refused with the seed's message, and nothing is stored")
    void createRefusesAMissingDetection() {
        Entity entity = person(123_456_789L);

        Throwable failure = catchThrowable(() -> entities.create(entity).await().atMost(WAIT));

        assertThat(failure).isInstanceOf(MissingDetectionException.class).hasMessage(
                "Detection with id=123456789 does not exist. Cannot set as primary_detection_id for Entity.");
        assertThat(db.count("SELECT count(*) FROM entities WHERE id = ?", entity.id())).isZero();
    }

    @Test
    @DisplayName("An entity with an existing primary detection, or none, is stored and read back as written")
    void createStoresValidEntities() {
        Entity created = entities.create(person(detection)).await().atMost(WAIT);
        Entity withoutDetection = entities.create(person(null)).await().atMost(WAIT);

        assertThat(entities.get(created.id()).await().atMost(WAIT)).contains(created);
        assertThat(created.primaryDetectionId()).isEqualTo(detection);
        assertThat(created.embeddingVector()).isEqualTo(new JsonArray().add(0.25).add(-1.5));
        assertThat(created.entityMetadata().getString("clothing")).isEqualTo("red jacket");
        assertThat(entities.get(withoutDetection.id()).await().atMost(WAIT).orElseThrow().primaryDetectionId()).isNull();
    }

    @Test
    @DisplayName("An update that would point at a missing detection is refused and leaves the entity as it was")
    void updateRefusesAMissingDetection() {
        Entity created = entities.create(person(detection)).await().atMost(WAIT);

        Throwable failure = catchThrowable(() -> entities.update(created.id(), stored -> withPrimary(stored, 42L))
                .await().atMost(WAIT));

        assertThat(failure).isInstanceOf(MissingDetectionException.class)
                .hasMessage("Detection with id=42 does not exist. Cannot set as primary_detection_id for Entity.");
        assertThat(entities.get(created.id()).await().atMost(WAIT)).contains(created);
    }

    @Test
    @DisplayName("Updates apply to the stored entity; an unknown id updates nothing")
    void updatesApply() {
        Entity created = entities.create(person(null)).await().atMost(WAIT);

        Optional<Entity> trusted = entities.update(created.id(), stored -> new Entity(stored.id(), stored.entityType(),
                "trusted", stored.embeddingVector(), stored.firstSeenAt(), stored.lastSeenAt().plusSeconds(60),
                stored.detectionCount() + 1, stored.entityMetadata(), detection)).await().atMost(WAIT);
        Optional<Entity> cleared = entities.update(created.id(), stored -> withPrimary(stored, null))
                .await().atMost(WAIT);
        Optional<Entity> unknown = entities.update(UUID.randomUUID(), stored -> stored).await().atMost(WAIT);

        assertThat(trusted.orElseThrow().trustStatus()).isEqualTo("trusted");
        assertThat(trusted.orElseThrow().primaryDetectionId()).isEqualTo(detection);
        assertThat(trusted.orElseThrow().detectionCount()).isEqualTo(2);
        assertThat(cleared.orElseThrow().primaryDetectionId()).isNull();
        assertThat(unknown).isEmpty();
    }

    @Test
    @DisplayName("Listing filters by type and trust status and counts every match")
    void listFilters() {
        Entity car = entities.create(new Entity(UUID.randomUUID(), "vehicle", "untrusted", null, SEEN,
                SEEN.plusSeconds(3600), 0, null, null)).await().atMost(WAIT);

        EntityPage vehicles = entities.list("vehicle", "untrusted", 10, 0).await().atMost(WAIT);
        EntityPage all = entities.list(null, null, 1, 0).await().atMost(WAIT);

        assertThat(vehicles.entities()).containsExactly(car);
        assertThat(vehicles.total()).isEqualTo(1);
        assertThat(all.entities()).hasSize(1);
        assertThat(all.total()).isEqualTo(db.count("SELECT count(*) FROM entities"));
    }

    private static Entity withPrimary(Entity stored, Long primaryDetection) {
        return new Entity(stored.id(), stored.entityType(), stored.trustStatus(), stored.embeddingVector(),
                stored.firstSeenAt(), stored.lastSeenAt(), stored.detectionCount(), stored.entityMetadata(),
                primaryDetection);
    }
}
