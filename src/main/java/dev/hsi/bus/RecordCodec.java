package dev.hsi.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Passes our immutable message records between verticles of one JVM without copying. Records are
 * never serialised onto the wire by the bus: what leaves the JVM goes through their {@code toJson()}.
 */
public final class RecordCodec implements MessageCodec<Record, Record> {

    public static final String NAME = "hsi-record";

    /** Installs the codec and selects it for every record of this package. */
    public static void install(EventBus bus) {
        bus.registerCodec(new RecordCodec());
        bus.codecSelector(body -> body instanceof Record record
                && record.getClass().getPackageName().equals(RecordCodec.class.getPackageName()) ? NAME : null);
    }

    @Override
    public void encodeToWire(Buffer buffer, Record record) {
        throw new IllegalStateException("HSI records travel on the local event bus only: " + record.getClass());
    }

    @Override
    public Record decodeFromWire(int pos, Buffer buffer) {
        throw new IllegalStateException("HSI records travel on the local event bus only");
    }

    @Override
    public Record transform(Record record) {
        return record;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
