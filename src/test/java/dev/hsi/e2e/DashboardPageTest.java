package dev.hsi.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hsi.app.HsiServer;
import dev.hsi.support.Eventually;
import dev.hsi.support.Ftp;
import dev.hsi.support.HeadlessBrowser;
import dev.hsi.support.Images;
import dev.hsi.support.TestEnv;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard in a real browser: an event appears live, without reloading the page. */
class DashboardPageTest {

    private static final String EVENT_TEXT =
            "[...document.querySelectorAll('#events .event')].map(e => e.textContent).join('\\n')";

    @TempDir
    Path dataDir;

    @Test
    @DisplayName("A browser open at / shows a new event appear live as soon as the camera's upload is analysed")
    void eventAppearsLiveInTheBrowser() throws Exception {
        try (HsiServer server = HsiServer.start(TestEnv.config(TestEnv.pipeline(dataDir)));
                HeadlessBrowser browser = new HeadlessBrowser("http://127.0.0.1:" + server.apiPort() + "/")) {
            Eventually.await(Duration.ofSeconds(30), "the page's WebSocket to connect",
                    () -> "live".equals(browser.evaluate("document.getElementById('status').textContent")));
            assertThat(browser.evaluate(EVENT_TEXT)).isEqualTo("");

            new Ftp(server.ftpPort(), "cam", "secret").upload(Images.PERSON, "Driveway", "car-park.jpg");

            String shown = Eventually.await(Duration.ofSeconds(60), "the event to appear on the page", () -> {
                String text = (String) browser.evaluate(EVENT_TEXT);
                return text.contains("Driveway") ? text : null;
            });
            assertThat(shown).containsIgnoringCase("person").contains("driveway");
            assertThat(browser.evaluate("document.querySelectorAll('#events .event.new').length"))
                    .as("added live, not by a reload").isNotEqualTo(0);
            browser.screenshot(Path.of("target/screenshots/dashboard-live-event.png"));
        }
    }
}
