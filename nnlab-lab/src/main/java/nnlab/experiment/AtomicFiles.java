package nnlab.experiment;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import nnlab.data.AtomicWrite;

/** Run files written atomically and durably, through the library's {@link AtomicWrite}. */
public final class AtomicFiles {
    private AtomicFiles() {}

    public static void writeString(Path target, String content) {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Path target, byte[] content) {
        AtomicWrite.write(target, content);
    }
}
