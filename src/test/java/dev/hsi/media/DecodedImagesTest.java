package dev.hsi.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class DecodedImagesTest {

    /** 100x100 RGB: 30,000 bytes. */
    private static BufferedImage picture() {
        return new BufferedImage(100, 100, BufferedImage.TYPE_3BYTE_BGR);
    }

    @Test
    void aPictureIsTakenOnceByTheKeyOfItsContentAndPath() {
        DecodedImages images = new DecodedImages(1_000_000);
        BufferedImage picture = picture();
        assertThat(images.offer(DecodedImages.key("abc", "/cam/a.jpg"), picture)).isTrue();

        assertThat(images.take(DecodedImages.key("abc", "/cam/b.jpg"))).isEmpty();
        assertThat(images.take(DecodedImages.key("def", "/cam/a.jpg"))).isEmpty();
        assertThat(images.take(DecodedImages.key("abc", "/cam/a.jpg"))).containsSame(picture);
        assertThat(images.take(DecodedImages.key("abc", "/cam/a.jpg"))).isEmpty();
        assertThat(images.usedBytes()).isZero();
    }

    @Test
    void whenFullNewPicturesAreNotKeptAndTheOldestStay() {
        DecodedImages images = new DecodedImages(70_000);
        assertThat(images.offer("first", picture())).isTrue();
        assertThat(images.offer("second", picture())).isTrue();
        assertThat(images.offer("third", picture())).isFalse();
        assertThat(images.usedBytes()).isEqualTo(60_000);

        assertThat(images.take("first")).isPresent();
        assertThat(images.offer("third", picture())).isTrue();
        assertThat(images.take("second")).isPresent();
        assertThat(images.take("third")).isPresent();
    }

    @Test
    void zeroCapacityKeepsNothing() {
        DecodedImages images = new DecodedImages(0);
        assertThat(images.offer("any", picture())).isFalse();
        assertThat(images.take("any")).isEmpty();
    }

    @Test
    void discardFreesTheRoomOfAPictureNeverTaken() {
        DecodedImages images = new DecodedImages(40_000);
        images.offer("queued-then-refused", picture());
        images.discard("queued-then-refused");
        assertThat(images.usedBytes()).isZero();
        assertThat(images.offer("next", picture())).isTrue();
    }
}
