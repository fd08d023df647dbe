package nnlab.experiment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nnlab.data.CourseData;
import nnlab.data.Examples;

/** Where a result came from: nnlab's version and commit, the JVM, the machine, the data and the seeds. */
public final class Provenance {
    public static final String VERSION = "0.1.0";

    private Provenance() {}

    public static Map<String, Object> of(CourseData data, long seed) {
        Map<String, Object> p = withoutHash(data, seed);
        return data == null ? p : withDataHash(p, hash(data));
    }

    /**
     * {@link #of}, but with the data's fingerprint lacking its {@code hash}: what a run records at once,
     * so that its first step need not wait for a pass over every value of the dataset
     * ({@link RunDirectory#begin(RunConfig, Map, java.util.function.Supplier)} adds the hash when known).
     */
    public static Map<String, Object> withoutHash(CourseData data, long seed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("nnlab_version", VERSION);
        p.put("git_commit", gitCommit());
        p.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("cores", Runtime.getRuntime().availableProcessors());
        p.put("started", Instant.now().toString());
        p.put("seed", seed);
        if (data != null) p.put("data", sizes(data));
        return p;
    }

    /** A copy of {@code provenance} (from {@link #withoutHash}) whose data fingerprint ends with {@code hash}, as {@link #of} writes it. */
    static Map<String, Object> withDataHash(Map<String, Object> provenance, String hash) {
        Map<String, Object> p = new LinkedHashMap<>(provenance);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = new LinkedHashMap<>((Map<String, Object>) provenance.get("data"));
        data.put("hash", hash);
        p.put("data", data);
        return p;
    }

    /** Sizes and a 64-bit hash of every split's features and labels: two runs on the same data agree. */
    public static Map<String, Object> fingerprint(CourseData data) {
        Map<String, Object> f = sizes(data);
        f.put("hash", hash(data));
        return f;
    }

    private static Map<String, Object> sizes(CourseData data) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("name", data.name());
        f.put("features", data.train().features());
        f.put("classes", data.classes());
        f.put("train", data.train().n());
        f.put("dev", data.dev() == null ? 0 : data.dev().n());
        f.put("test", data.test().n());
        return f;
    }

    /**
     * The fingerprint's 64-bit hash, as 16 hex digits: every value, label and target of train, dev and test
     * in turn, each mixed into the last. Its value is part of every result.json written: it must not change.
     */
    public static String hash(CourseData data) {
        long h = 0x9E3779B97F4A7C15L;
        for (Examples e : new Examples[] {data.train(), data.dev(), data.test()}) {
            if (e == null) continue;
            // x(k), not x(): hashing must not build a float64 copy of features held as bytes.
            for (int k = 0, size = e.n() * e.features(); k < size; k++) h = mix(h ^ Double.doubleToLongBits(e.x(k)));
            if (e.labels() != null) for (int l : e.labels()) h = mix(h ^ l);
            if (e.targets() != null) for (double t : e.targets()) h = mix(h ^ Double.doubleToLongBits(t));
        }
        return String.format("%016x", h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Where the build writes the commit it was made from (nnlab-lab's pom, exec-maven-plugin). */
    static final String COMMIT_RESOURCE = "/nnlab/commit.txt";

    /** What {@code git describe --always --dirty=+modified --abbrev=12} prints for a commit. */
    private static final java.util.regex.Pattern COMMIT = java.util.regex.Pattern.compile("[0-9a-f]{7,40}(\\+modified)?");

    /**
     * The commit nnlab was built from, baked into the jar at build time, so a jar copied away from
     * the checkout still knows it. Without that resource (classes run from an IDE), the commit of the
     * checkout nnlab runs from ({@code NNLAB_HOME}, set by the launcher); "unknown" when neither says.
     */
    public static String gitCommit() {
        String baked = bakedCommit(Provenance.class.getResourceAsStream(COMMIT_RESOURCE));
        return baked != null ? baked : checkoutCommit(System.getenv("NNLAB_HOME"));
    }

    /** The resource's commit, or null when it is absent or holds no commit (a build outside git writes "unknown"). */
    static String bakedCommit(java.io.InputStream resource) {
        if (resource == null) return null;
        try (resource) {
            String text = new String(resource.readAllBytes(), StandardCharsets.UTF_8).trim();
            return COMMIT.matcher(text).matches() ? text : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The commit of the checkout at {@code home}, "+modified" when tracked files changed; "unknown" if it cannot say. */
    static String checkoutCommit(String home) {
        if (home == null) return "unknown";
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(home).toString(), "rev-parse", "--short=12", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return "unknown";
            ProcessBuilder dirty = new ProcessBuilder("git", "-C", home, "status", "--porcelain", "--untracked-files=no");
            Process d = dirty.start();
            boolean modified = !new String(d.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
            d.waitFor(5, TimeUnit.SECONDS);
            return modified ? out + "+modified" : out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
