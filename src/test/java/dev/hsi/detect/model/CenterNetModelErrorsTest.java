package dev.hsi.detect.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a user sees when the one-time download cannot happen. */
class CenterNetModelErrorsTest {

    @Test
    void explainsThatNpmIsMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> CenterNetModel.ensure(dir, dir.resolve("no-such-npm").toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("npm (Node.js) is needed")
                .hasMessageContaining(CenterNetModel.PACKAGE_SPEC);
        assertThat(dir.resolve(CenterNetModel.MODEL_FILE)).doesNotExist();
    }

    @Test
    void reportsAFailingNpmWithItsOutput(@TempDir Path dir) throws IOException {
        Path npm = dir.resolve("npm");
        Files.writeString(npm, "#!/bin/sh\necho 'npm ERR! 404 Not Found' >&2\nexit 1\n");
        assertThat(npm.toFile().setExecutable(true)).isTrue();

        assertThatThrownBy(() -> CenterNetModel.ensure(dir.resolve("models"), npm.toString()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("exit code 1")
                .hasMessageContaining("npm ERR! 404 Not Found");
        assertThat(dir.resolve("models").resolve(CenterNetModel.MODEL_FILE)).doesNotExist();
    }

    @Test
    void returnsAnExistingModelWithoutRunningNpm(@TempDir Path dir) throws IOException {
        Path model = Files.writeString(dir.resolve(CenterNetModel.MODEL_FILE), "cached");
        assertThat(CenterNetModel.ensure(dir, dir.resolve("no-such-npm").toString())).isEqualTo(model);
    }
}
