package nnlab.experiment.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the store's tests: the one {@code NNLAB_TEST_POSTGRES} names, or a
 * throwaway cluster that {@code scripts/test-postgres} starts on first use and stops when the tests'
 * JVM exits. Never skipped: a machine without PostgreSQL fails these tests (scripts/setup installs it).
 */
public final class TestPostgres {
    private static String server;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private TestPostgres() {}

    /** The server's URL (its postgres database). */
    public static synchronized String url() {
        if (server != null) return server;
        String given = System.getenv("NNLAB_TEST_POSTGRES");
        if (given != null && !given.isBlank()) return server = given;
        Path script = Path.of("..", "scripts", "test-postgres").toAbsolutePath().normalize();
        try {
            Process p = new ProcessBuilder(script.toString(), "start").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.size() < 2) {
                throw new IllegalStateException(script + " start failed (exit " + p.exitValue() + "): " + lines);
            }
            String dir = lines.get(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new ProcessBuilder(script.toString(), "stop", dir).inheritIO().start().waitFor(60, TimeUnit.SECONDS);
                } catch (IOException | InterruptedException e) {
                    System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e);
                }
            }));
            return server = lines.get(0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A new, empty database on the test server: its URL. */
    public static String freshDatabase() {
        String url = url();
        StoreUrl admin = StoreUrl.parse(url);
        String name = "nnlab_test_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(admin.jdbc(), admin.properties()); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + admin + ": " + e.getMessage(), e);
        }
        return url.replaceFirst("/postgres\\?", "/" + name + "?");
    }
}
