package dev.hsi.analyze;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RuleBasedAnalyzerTest {

    private static final LocalTime NOON = LocalTime.of(12, 0);
    private static final LocalTime TWO_AM = LocalTime.of(2, 0);
    private static final Anomaly NO_HISTORY = Anomaly.unknown(0, 10);

    private final RuleBasedAnalyzer analyzer = new RuleBasedAnalyzer();

    @Test
    @DisplayName("The same batch always gets the same assessment")
    void isDeterministic() {
        List<DetectionFact> batch = List.of(fact(1, "person", 0.83), fact(2, "car", 0.61), fact(3, "dog", 0.4));

        RiskAssessment first = analyzer.analyze("Front Door", batch, NOON, NO_HISTORY);
        RiskAssessment second = analyzer.analyze("Front Door", List.copyOf(batch), NOON, NO_HISTORY);

        assertThat(second).isEqualTo(first);
    }

    @Test
    @DisplayName("One confident person by day is a medium risk")
    void personByDayIsMedium() {
        RiskAssessment risk = analyzer.analyze("Front Door", List.of(fact(1, "person", 0.9)), NOON, NO_HISTORY);

        assertThat(risk.level()).isEqualTo("medium");
        assertThat(risk.summary()).doesNotContain("night");
    }

    @Test
    @DisplayName("The same person at 02:00 scores higher and the assessment says it was at night")
    void personAtNightIsHigher() {
        List<DetectionFact> person = List.of(fact(1, "person", 0.9));
        RiskAssessment day = analyzer.analyze("Front Door", person, NOON, NO_HISTORY);

        RiskAssessment night = analyzer.analyze("Front Door", person, TWO_AM, NO_HISTORY);

        assertThat(night.score()).isGreaterThan(day.score());
        assertThat(night.summary()).contains("night");
        assertThat(night.reasoning()).contains("night");
    }

    @Test
    @DisplayName("Three people score higher than one")
    void morePeopleScoreHigher() {
        RiskAssessment one = analyzer.analyze("Yard", List.of(fact(1, "person", 0.9)), NOON, NO_HISTORY);

        RiskAssessment three = analyzer.analyze("Yard", people(3), NOON, NO_HISTORY);

        assertThat(three.score()).isGreaterThan(one.score());
        assertThat(three.reasoning()).contains("3 people");
    }

    @Test
    @DisplayName("A lone dog by day is a low risk")
    void dogByDayIsLow() {
        RiskAssessment risk = analyzer.analyze("Yard", List.of(fact(1, "dog", 0.95)), NOON, NO_HISTORY);

        assertThat(risk.level()).isEqualTo("low");
    }

    @Test
    @DisplayName("The score stays within 0..100 even for 50 people and a car at night")
    void scoreIsBounded() {
        List<DetectionFact> crowd = new ArrayList<>(people(50));
        crowd.add(fact(99, "car", 1.0));

        RiskAssessment risk = analyzer.analyze("Street", crowd, TWO_AM, NO_HISTORY);

        assertThat(risk.score()).isBetween(0, 100);
        assertThat(risk.level()).isEqualTo(RiskAssessment.levelOf(risk.score()));
    }

    @Test
    @DisplayName("The summary counts what was seen and names the camera")
    void summaryReadsNaturally() {
        List<DetectionFact> batch = List.of(fact(1, "person", 0.9), fact(2, "car", 0.7), fact(3, "person", 0.8));

        String summary = analyzer.analyze("Front Door", batch, NOON, NO_HISTORY).summary();

        assertThat(summary).contains("2 people").containsIgnoringCase("a car").endsWith(" detected at Front Door");
    }

    @Test
    @DisplayName("Risk levels change at the original's thresholds 30, 60 and 85")
    void levelBoundaries() {
        assertThat(RiskAssessment.levelOf(0)).isEqualTo("low");
        assertThat(RiskAssessment.levelOf(29)).isEqualTo("low");
        assertThat(RiskAssessment.levelOf(30)).isEqualTo("medium");
        assertThat(RiskAssessment.levelOf(59)).isEqualTo("medium");
        assertThat(RiskAssessment.levelOf(60)).isEqualTo("high");
        assertThat(RiskAssessment.levelOf(84)).isEqualTo("high");
        assertThat(RiskAssessment.levelOf(85)).isEqualTo("critical");
        assertThat(RiskAssessment.levelOf(100)).isEqualTo("critical");
    }

    private static List<DetectionFact> people(int count) {
        List<DetectionFact> people = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            people.add(fact(i, "person", 0.9));
        }
        return people;
    }

    private static DetectionFact fact(long id, String type, double confidence) {
        return new DetectionFact(id, Instant.parse("2024-05-01T12:00:00Z").plusSeconds(id), type, confidence, List.of());
    }

    @Test
    @DisplayName("The summary names the weightiest objects first: people before vehicles before animals")
    void summaryOrdersByWeight() {
        List<DetectionFact> batch = List.of(fact(1, "person", 0.9), fact(2, "car", 0.7), fact(3, "person", 0.8));
        assertThat(analyzer.analyze("Front Door", batch, NOON, NO_HISTORY).summary())
                .isEqualTo("2 people and a car detected at Front Door");
    }

    @Test
    @DisplayName("A person at an entry point scores higher, more so at night; activity far above usual adds more")
    void zonesAndAnomalyRaiseTheScore() {
        ZoneRef door = new ZoneRef("z1", "Back door", "entry_point");
        DetectionFact atDoor = new DetectionFact(1, Instant.parse("2024-05-01T02:00:00Z"), "person", 0.9, List.of(door));
        DetectionFact elsewhere = fact(1, "person", 0.9);
        int day = analyzer.analyze("Back", List.of(elsewhere), NOON, NO_HISTORY).score();
        int dayAtDoor = analyzer.analyze("Back", List.of(atDoor), NOON, NO_HISTORY).score();
        int night = analyzer.analyze("Back", List.of(elsewhere), TWO_AM, NO_HISTORY).score();
        RiskAssessment nightAtDoor = analyzer.analyze("Back", List.of(atDoor), TWO_AM, NO_HISTORY);
        assertThat(dayAtDoor).isGreaterThan(day);
        assertThat(nightAtDoor.score() - night).isGreaterThan(dayAtDoor - day);
        assertThat(nightAtDoor.reasoning()).contains("person in zone 'Back door' (entry_point)",
                "a person at an entry point at night");

        Anomaly burst = new Anomaly(java.util.Optional.of(new Anomaly.Activity(1.0, 30, 1.5, 1.2, "camera", 100)),
                java.util.Map.of(), 100, 10);
        Anomaly usual = new Anomaly(java.util.Optional.of(new Anomaly.Activity(0.1, 2, 1.5, 1.2, "camera", 100)),
                java.util.Map.of(), 100, 10);
        assertThat(analyzer.analyze("Back", List.of(elsewhere), NOON, usual).score()).isEqualTo(day);
        RiskAssessment anomalous = analyzer.analyze("Back", List.of(elsewhere), NOON, burst);
        assertThat(anomalous.score()).isEqualTo(day + 20);
        assertThat(anomalous.reasoning()).contains("30 detections this hour where about 1.5 are usual");
    }
}
