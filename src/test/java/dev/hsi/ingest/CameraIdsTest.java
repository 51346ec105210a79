package dev.hsi.ingest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class CameraIdsTest {

    @ParameterizedTest(name = "\"{0}\" becomes \"{1}\"")
    @DisplayName("Upload folder names become the original's lowercase underscore camera ids")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "Front Door         | front_door",
            "back-yard          | back_yard",
            "'  Garage  Cam #2 '| garage_cam_2",
            "__x__              | x",
            "!!!                | ''",
            "Küche              | küche",
            "Гараж              | гараж",
    })
    void normalizesFolderNames(String folder, String expected) {
        assertThat(CameraIds.normalize(folder)).isEqualTo(expected);
    }
}
