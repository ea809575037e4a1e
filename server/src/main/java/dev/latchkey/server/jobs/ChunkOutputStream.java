package dev.latchkey.server.jobs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

/** Cuts what is written into numbered chunks of {@link #CHUNK} bytes, each handed on when full and at close. */
final class ChunkOutputStream extends OutputStream {

    static final int CHUNK = 1 << 20;

    record Chunk(int seq, byte[] bytes) {
    }

    private final Consumer<Chunk> sink;
    private final byte[] buffer = new byte[CHUNK];
    private int filled;
    private int seq;

    ChunkOutputStream(Consumer<Chunk> sink) {
        this.sink = sink;
    }

    @Override
    public void write(int b) {
        if (filled == CHUNK) {
            emit();
        }
        buffer[filled++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        while (length > 0) {
            if (filled == CHUNK) {
                emit();
            }
            int n = Math.min(length, CHUNK - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    private void emit() {
        sink.accept(new Chunk(seq++, Arrays.copyOf(buffer, filled)));
        filled = 0;
    }

    @Override
    public void close() throws IOException {
        if (filled > 0 || seq == 0) {
            emit();
        }
    }
}
