package nnlab.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar with examples per second, redrawn in place on a terminal at most every
 * 200 ms; off when the output is not a terminal (logs and pipes get the per-epoch lines only).
 */
final class Progress {
    private final PrintStream err;
    private final boolean enabled;
    private long epochStart;
    private long lastDraw;

    Progress(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Whether standard output is a terminal (and NNLAB_PROGRESS is not 0). */
    static boolean onTerminal() {
        var console = System.console();
        return console != null && console.isTerminal() && !"0".equals(System.getenv("NNLAB_PROGRESS"));
    }

    void update(int epoch, int epochs, int done, int total, int examples) {
        if (!enabled) return;
        long now = System.nanoTime();
        if (done == 1) epochStart = now;
        if (now - lastDraw < 200_000_000L && done < total) return;
        lastDraw = now;
        int width = 30, filled = (int) ((long) width * done / Math.max(total, 1));
        double seconds = (now - epochStart) / 1e9;
        err.printf("\r  epoch %d/%d [%s%s] %d/%d batches, %,.0f examples/s ", epoch, epochs, "=".repeat(filled),
                " ".repeat(width - filled), done, total, seconds > 0 ? examples / seconds : 0.0);
        err.flush();
    }

    /** Erases the bar before a normal line is printed. */
    void clear() {
        if (!enabled) return;
        err.print("\r" + " ".repeat(100) + "\r");
        err.flush();
    }
}
