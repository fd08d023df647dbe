package nnlab.cli;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Gives the JVM its real standard error back. The launcher ({@code nnlab}) starts Java with fd 2 on a
 * filter that drops the one line the JVM prints before any of nnlab's code runs, "WARNING: Using
 * incubator modules: jdk.incubator.vector" (no JVM option turns it off), and with the real standard
 * error on the fd named by {@code NNLAB_STDERR_FD}. Once main() runs that line is behind us: this
 * moves the real stream back onto fd 2 ({@code dup2}), so everything after it (progress bars redrawn
 * with \r, messages, the JVM's own output, child processes) goes straight to the terminal or file,
 * and the filter reaches its end.
 */
final class Stderr {
    static final String VARIABLE = "NNLAB_STDERR_FD";

    private Stderr() {}

    /** Moves the launcher's saved standard error back onto fd 2; does nothing when not started by the launcher. */
    static void reclaim() {
        String saved = System.getenv(VARIABLE);
        if (saved == null || !saved.matches("[3-9]")) return;
        int fd = Integer.parseInt(saved);
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle dup2 = linker.downcallHandle(linker.defaultLookup().find("dup2").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            System.err.flush();
            if ((int) dup2.invokeExact(fd, 2) == 2) {
                int closed = (int) close.invokeExact(fd);
                assert closed == 0 : "close(" + fd + ")";
            }
        } catch (Throwable e) {
            // Not fatal: standard error keeps flowing through the launcher's filter, which passes it on.
        }
    }
}
