package nnlab.experiment.store;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A {@code --store} URL, {@code postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?user=…&password=…&sslmode=…]},
 * resolved as libpq resolves it: the password from the URL, else {@code PGPASSWORD}, else the first
 * matching line of {@code PGPASSFILE} or {@code ~/.pgpass} (ignored, as libpq does, when others may read
 * it); the user from the URL, else {@code PGUSER}, else the login name. The password is never shown:
 * {@link #toString()} leaves it out, so messages and the store's records can name the URL.
 */
public record StoreUrl(String host, int port, String database, String user, String password, Map<String, String> options) {
    public static final int DEFAULT_PORT = 5432;
    /** URL options passed on to the driver, by libpq's spelling, with the driver's name where it differs. */
    private static final Map<String, String> PASSED_ON = Map.of("sslmode", "sslmode", "sslrootcert", "sslrootcert", "sslcert",
            "sslcert", "sslkey", "sslkey", "connect_timeout", "connectTimeout", "application_name", "ApplicationName", "options", "options");
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** Parses and resolves a URL; {@code env} and {@code home} stand for the environment and the home folder (tests give their own). */
    public static StoreUrl parse(String text, Map<String, String> env, Path home) {
        String usage = "give postgresql://HOST[:PORT]/DATABASE?user=NAME (the password in the URL, PGPASSWORD or ~/.pgpass)";
        if (text == null || text.isBlank()) throw new IllegalArgumentException("--store needs a URL: " + usage);
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--store '" + redact(text) + "' is not a URL (" + e.getReason() + "): " + usage);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("postgresql") || scheme.equals("postgres"))) {
            throw new IllegalArgumentException("--store '" + redact(text) + "': nnlab stores sweeps in PostgreSQL (or, without --store, "
                    + "in the --out folder); " + usage);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("--store '" + redact(text) + "' names no host: " + usage);
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isEmpty() || path.contains("/")) {
            throw new IllegalArgumentException("--store '" + redact(text) + "' names no database (the part after the host's /): " + usage);
        }
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq)), value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.put(key, value);
            }
        }
        String user = null, password = null;
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) password = decode(info.substring(colon + 1));
        }
        if (query.containsKey("user")) user = query.remove("user");
        if (query.containsKey("password")) password = query.remove("password");
        Map<String, String> options = new LinkedHashMap<>();
        for (var e : query.entrySet()) {
            if (!PASSED_ON.containsKey(e.getKey())) {
                throw new IllegalArgumentException("--store '" + redact(text) + "': unknown option '" + e.getKey() + "'; nnlab takes user, "
                        + "password and " + String.join(", ", new java.util.TreeSet<>(PASSED_ON.keySet())));
            }
            if (e.getKey().equals("sslmode") && !SSL_MODES.contains(e.getValue())) {
                throw new IllegalArgumentException("--store '" + redact(text) + "': sslmode=" + e.getValue() + " is none of "
                        + String.join(", ", new java.util.TreeSet<>(SSL_MODES)));
            }
            options.put(e.getKey(), e.getValue());
        }
        // An IPv6 address keeps its brackets in a URI's host; the driver's URL adds its own.
        String host = uri.getHost().startsWith("[") && uri.getHost().endsWith("]")
                ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        if (uri.getPort() > 65535) {
            throw new IllegalArgumentException("--store '" + redact(text) + "': port " + uri.getPort() + " is not a port (1 to 65535)");
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        if (user == null || user.isEmpty()) user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
        if (password == null) password = env.get("PGPASSWORD");
        if (password == null) password = fromPassFile(env, home, host, port, path, user);
        return new StoreUrl(host, port, path, user, password, Map.copyOf(options));
    }

    /** Parses with this process's environment and home folder. */
    public static StoreUrl parse(String text) {
        return parse(text, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** The JDBC URL (without credentials: they go in {@link #properties()}). */
    public String jdbc() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    public Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        // A connection cut without a reset (a network gone, a host asleep) must end in an error, not hang a worker.
        p.setProperty("socketTimeout", "60");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "nnlab");
        options.forEach((k, v) -> p.setProperty(PASSED_ON.get(k), v));
        return p;
    }

    /** The URL without its password, with its other options: what messages show, and a command to copy. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("postgresql://").append(encode(user)).append('@')
                .append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/').append(encode(database));
        String sep = "?";
        for (var e : new java.util.TreeMap<>(options).entrySet()) {
            sb.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = "&";
        }
        return sb.toString();
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A URL as typed, with any password replaced by ***, for messages about a URL that could not be read:
     * the query's password, and everything after the user's colon up to the last @ (a password may hold
     * / or @ unencoded).
     */
    static String redact(String text) {
        String out = text.replaceAll("(?i)(password=)[^&]*", "$1***");
        int start = out.indexOf("//"), at = out.lastIndexOf('@');
        if (start >= 0 && at > start) {
            int colon = out.indexOf(':', start + 2);
            if (colon >= 0 && colon < at) out = out.substring(0, colon + 1) + "***" + out.substring(at);
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /**
     * The password of the first line of the password file that matches (hostname:port:database:username:password,
     * {@code *} matching anything, {@code \:} and {@code \\} escaped), or null. Like libpq, a file others may
     * read is not used.
     */
    static String fromPassFile(Map<String, String> env, Path home, String host, int port, String database, String user) {
        Path file = env.containsKey("PGPASSFILE") ? Path.of(env.get("PGPASSFILE")) : home.resolve(".pgpass");
        if (!Files.isRegularFile(file)) return null;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                System.err.println("nnlab: " + file + " is readable by others, so it is not used (as psql does not); chmod 600 " + file);
                return null;
            }
        } catch (UnsupportedOperationException | IOException e) {
            // No POSIX permissions to check (another file system): use it.
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) continue;
                java.util.List<String> fields = new java.util.ArrayList<>();
                StringBuilder field = new StringBuilder();
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if (c == '\\' && i + 1 < line.length()) {
                        field.append(line.charAt(++i));
                    } else if (c == ':' && fields.size() < 4) {
                        fields.add(field.toString());
                        field.setLength(0);
                    } else {
                        field.append(c);
                    }
                }
                fields.add(field.toString());
                if (fields.size() != 5) continue;
                if (matches(fields.get(0), host) && matches(fields.get(1), String.valueOf(port)) && matches(fields.get(2), database)
                        && matches(fields.get(3), user)) {
                    return fields.get(4);
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static boolean matches(String pattern, String value) {
        return pattern.equals("*") || pattern.equals(value);
    }
}
