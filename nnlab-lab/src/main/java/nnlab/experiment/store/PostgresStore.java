package nnlab.experiment.store;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingDeque;
import nnlab.experiment.Json;
import nnlab.experiment.Sweep;
import nnlab.metrics.EpochRecord;

/**
 * Sweeps in a PostgreSQL database, so that workers on several machines run one sweep: a table of
 * sweeps (name, specification), one of trials (status, lease, result) and one of epochs (each
 * attempt's figures, written as they come). nnlab creates the tables and records their version.
 *
 * <p>Claiming takes the first waiting trial, or one whose lease expired, with {@code FOR UPDATE SKIP
 * LOCKED}, so concurrent workers never wait on each other nor take the same trial, and gives it a new
 * token from a sequence. Renewing, recording an epoch and finishing are each one statement that acts
 * only while the token is the trial's and its lease has not expired: a worker paused past its lease
 * gets false back and its late result is not written.
 */
public final class PostgresStore implements TrialStore {
    /** The version of the tables this nnlab reads and writes; a database with a newer one is refused. */
    public static final int SCHEMA_VERSION = 1;
    /** Serialises table creation among workers that start together (pg_advisory_xact_lock's key: "nnlab" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6e6e6c6162L;

    private static final String[] SCHEMA = {
        "CREATE TABLE nnlab_sweeps (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE, spec text NOT NULL, "
                + "created timestamptz NOT NULL DEFAULT now())",
        "CREATE TABLE nnlab_trials (sweep bigint NOT NULL REFERENCES nnlab_sweeps ON DELETE CASCADE, idx int NOT NULL, "
                + "name text NOT NULL, status text NOT NULL DEFAULT 'queued', worker text, token bigint, lease_until timestamptz, "
                + "attempts int NOT NULL DEFAULT 0, result jsonb, started timestamptz, finished timestamptz, PRIMARY KEY (sweep, idx))",
        "CREATE INDEX nnlab_trials_waiting ON nnlab_trials (sweep, idx) WHERE status IN ('queued', 'running')",
        "CREATE SEQUENCE nnlab_tokens",
        "CREATE TABLE nnlab_epochs (sweep bigint NOT NULL, idx int NOT NULL, token bigint NOT NULL, epoch int NOT NULL, "
                + "train_loss float8, train_acc float8, dev_loss float8, dev_acc float8, test_loss float8, test_acc float8, "
                + "weight_norm float8, dist_to_analytic float8, seconds float8, recorded timestamptz NOT NULL DEFAULT now(), "
                + "PRIMARY KEY (sweep, idx, token, epoch), FOREIGN KEY (sweep, idx) REFERENCES nnlab_trials ON DELETE CASCADE)",
    };

    private final StoreUrl url;
    private final String name;
    private final long sweepId;
    private final Map<String, Object> spec;
    private final List<Sweep.Trial> trials;
    private final Duration lease;
    private final Path out;
    private final LinkedBlockingDeque<Connection> idle = new LinkedBlockingDeque<>();

    private PostgresStore(StoreUrl url, String name, long sweepId, Map<String, Object> spec, List<Sweep.Trial> trials, Duration lease,
                          Path out) {
        this.url = url;
        this.name = name;
        this.sweepId = sweepId;
        this.spec = spec;
        this.trials = trials;
        this.lease = lease;
        this.out = out;
    }

    /** What enqueuing did: trials added, failed trials put back in the queue, trials already there. */
    public record Enqueued(PostgresStore store, int added, int retried, int existing) {}

    /**
     * Adds the sweep and its trials to the store, or, when a sweep of this name is there, checks it is
     * the same sweep and adds only the trials it lacks (none, for the same command) and puts its failed
     * trials back in the queue, as a rerun of a folder's sweep retries them. One transaction.
     *
     * @param out the local folder claimed trials' files go to, {@code trials/NN-name} as in a folder's sweep
     */
    public static Enqueued enqueue(StoreUrl url, String name, Map<String, Object> spec, List<Sweep.Trial> trials, Duration lease, Path out) {
        requireName(name);
        try (Connection c = connect(url)) {
            migrate(c, url);
            c.setAutoCommit(false);
            try {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO nnlab_sweeps (name, spec) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                    insert.setString(1, name);
                    insert.setString(2, Json.toString(spec));
                    insert.executeUpdate();
                }
                long id;
                String stored;
                try (PreparedStatement find = c.prepareStatement("SELECT id, spec FROM nnlab_sweeps WHERE name = ? FOR UPDATE")) {
                    find.setString(1, name);
                    try (ResultSet rs = find.executeQuery()) {
                        rs.next();
                        id = rs.getLong(1);
                        stored = rs.getString(2);
                    }
                }
                if (!stored.equals(Json.toString(spec))) {
                    Map<String, Object> old = Json.parse(stored, "sweep " + name + "'s specification");
                    throw new IllegalArgumentException("the store " + url + " holds another sweep named '" + name + "' (" + Sweep.summary(old)
                            + "; it differs from this command's in " + Sweep.difference(old, spec) + "): resume it with the command "
                            + "that started it (or nnlab worker --sweep " + name + "), or give this one another --name");
                }
                int added = 0;
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO nnlab_trials (sweep, idx, name) VALUES (?, ?, ?) ON CONFLICT (sweep, idx) DO NOTHING")) {
                    for (int i = 0; i < trials.size(); i++) {
                        insert.setLong(1, id);
                        insert.setInt(2, i);
                        insert.setString(3, trials.get(i).name());
                        insert.addBatch();
                    }
                    for (int n : insert.executeBatch()) added += Math.max(0, n);
                }
                int retried;
                try (PreparedStatement retry = c.prepareStatement(
                        "UPDATE nnlab_trials SET status = 'queued', token = NULL, lease_until = NULL, result = NULL, finished = NULL "
                                + "WHERE sweep = ? AND status = 'failed'")) {
                    retry.setLong(1, id);
                    retried = retry.executeUpdate();
                }
                c.commit();
                return new Enqueued(new PostgresStore(url, name, id, spec, trials, lease, out), added, retried,
                        trials.size() - added);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw explain(e, url);
        }
    }

    /** Opens a sweep already in the store, to work on it or report on it. */
    public static PostgresStore attach(StoreUrl url, String name, Duration lease, Path out) {
        requireName(name);
        try (Connection c = connect(url)) {
            migrate(c, url);
            try (PreparedStatement find = c.prepareStatement("SELECT id, spec FROM nnlab_sweeps WHERE name = ?")) {
                find.setString(1, name);
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next()) {
                        List<String> names = sweeps(c).stream().map(SweepInfo::name).toList();
                        throw new IllegalArgumentException("the store " + url + " holds no sweep named '" + name + "'" + (names.isEmpty()
                                ? " (it holds none: start one with nnlab sweep … --store URL --name NAME)" : "; it holds: "
                                + String.join(", ", names)));
                    }
                    long id = rs.getLong(1);
                    Map<String, Object> spec = Json.parse(rs.getString(2), "sweep " + name + "'s specification in " + url);
                    List<Sweep.Trial> trials = Sweep.trials(spec);
                    try (PreparedStatement names = c.prepareStatement("SELECT idx, name FROM nnlab_trials WHERE sweep = ? ORDER BY idx")) {
                        names.setLong(1, id);
                        try (ResultSet n = names.executeQuery()) {
                            while (n.next()) {
                                int idx = n.getInt(1);
                                if (idx >= trials.size() || !trials.get(idx).name().equals(n.getString(2))) {
                                    throw new IllegalStateException("sweep " + name + " in " + url + " lists trial " + (idx + 1) + " as '"
                                            + n.getString(2) + "', but its specification makes " + (idx < trials.size() ? "'"
                                            + trials.get(idx).name() + "'" : trials.size() + " trials") + ": it was written by "
                                            + "another nnlab or changed by hand; start it again under another --name");
                                }
                            }
                        }
                    }
                    return new PostgresStore(url, name, id, spec, trials, lease, out);
                }
            }
        } catch (SQLException e) {
            throw explain(e, url);
        }
    }

    /** A sweep in a store, with how many of its trials wait, run and ended. */
    public record SweepInfo(String name, int trials, int queued, int running, int ended) {}

    /** The sweeps a store holds, oldest first. */
    public static List<SweepInfo> sweeps(StoreUrl url) {
        try (Connection c = connect(url)) {
            migrate(c, url);
            return sweeps(c);
        } catch (SQLException e) {
            throw explain(e, url);
        }
    }

    private static List<SweepInfo> sweeps(Connection c) throws SQLException {
        List<SweepInfo> out = new ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT s.name, count(t.idx), count(*) FILTER (WHERE t.status = 'queued'), "
                     + "count(*) FILTER (WHERE t.status = 'running'), count(*) FILTER (WHERE t.status NOT IN ('queued', 'running')) "
                     + "FROM nnlab_sweeps s LEFT JOIN nnlab_trials t ON t.sweep = s.id GROUP BY s.id, s.name ORDER BY s.id")) {
            while (rs.next()) out.add(new SweepInfo(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)));
        }
        return out;
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("--name '" + name + "': give the sweep a name of 1 to 200 printable characters, e.g. "
                    + "--name fmnist-lr");
        }
    }

    public String name() {
        return name;
    }

    @Override
    public String where() {
        return url + ", sweep " + name;
    }

    @Override
    public Map<String, Object> spec() {
        return spec;
    }

    @Override
    public List<Sweep.Trial> trials() {
        return trials;
    }

    @Override
    public Optional<Claim> claim(String worker) {
        return call(c -> {
            // The free trial is chosen once, in a materialized CTE: as a subquery joined to the UPDATE, the planner may
            // run it again for every row of the table once it has statistics, and one claim would take every free trial.
            try (PreparedStatement s = c.prepareStatement("WITH free AS MATERIALIZED (SELECT idx, status AS was, worker AS previous "
                    + "FROM nnlab_trials WHERE sweep = ? AND (status = 'queued' OR status = 'running' AND lease_until < clock_timestamp()) "
                    + "ORDER BY idx LIMIT 1 FOR UPDATE SKIP LOCKED) UPDATE nnlab_trials t SET status = 'running', worker = ?, "
                    + "token = nextval('nnlab_tokens'), lease_until = clock_timestamp() + make_interval(secs => ?), "
                    + "attempts = t.attempts + 1, started = clock_timestamp() FROM free WHERE t.sweep = ? AND t.idx = free.idx "
                    + "RETURNING t.idx, t.token, t.attempts, free.was, free.previous")) {
                s.setLong(1, sweepId);
                s.setString(2, worker);
                s.setDouble(3, lease.toMillis() / 1000.0);
                s.setLong(4, sweepId);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) return Optional.<Claim>empty();
                    int idx = rs.getInt(1), attempt = rs.getInt(3);
                    long token = rs.getLong(2);
                    String takenFrom = "running".equals(rs.getString(4)) ? rs.getString(5) : null;
                    if (rs.next()) throw new IllegalStateException("a claim in " + where() + " took more than one trial");
                    if (idx >= trials.size()) {
                        throw new IllegalStateException("sweep " + name + " in " + url + " has a trial numbered " + (idx + 1) + " but its "
                                + "specification makes " + trials.size() + ": the store was changed by hand");
                    }
                    Sweep.Trial trial = trials.get(idx);
                    Path dir = Sweep.trialDir(out, idx, trial);
                    // Each attempt in its own folder: a paused worker may still be writing the first's.
                    if (attempt > 1) dir = dir.resolveSibling(dir.getFileName() + ".attempt-" + attempt);
                    return Optional.of(new Claim(idx, trial, token, attempt, dir, takenFrom));
                }
            }
        });
    }

    @Override
    public int unfinished() {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM nnlab_trials WHERE sweep = ? AND status IN ('queued', 'running')")) {
                s.setLong(1, sweepId);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public boolean leasesExpire() {
        return true;
    }

    /** The condition every write of a claimed trial carries: its token, and a lease not yet expired. */
    private static final String HELD = "sweep = ? AND idx = ? AND token = ? AND status = 'running' AND lease_until >= clock_timestamp()";

    @Override
    public boolean renew(Claim claim) {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE nnlab_trials SET lease_until = clock_timestamp() + "
                    + "make_interval(secs => ?) WHERE " + HELD)) {
                s.setDouble(1, lease.toMillis() / 1000.0);
                held(s, 2, claim);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean epoch(Claim claim, EpochRecord r) {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO nnlab_epochs (sweep, idx, token, epoch, train_loss, train_acc, "
                    + "dev_loss, dev_acc, test_loss, test_acc, weight_norm, dist_to_analytic, seconds) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                    + "?, ?, ? WHERE EXISTS (SELECT 1 FROM nnlab_trials WHERE " + HELD + ") "
                    // A retry of an insert whose commit's reply was lost finds its own row: still ours while the lease holds.
                    + "ON CONFLICT (sweep, idx, token, epoch) DO UPDATE SET recorded = excluded.recorded")) {
                s.setLong(1, sweepId);
                s.setInt(2, claim.index());
                s.setLong(3, claim.token());
                double[] v = r.values();
                s.setInt(4, r.epoch());
                for (int i = 1; i < v.length; i++) s.setDouble(4 + i, v[i]);
                held(s, 4 + v.length, claim);
                return s.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean finish(Claim claim, TrialResult result) {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE nnlab_trials SET status = ?, result = ?::jsonb, finished = clock_timestamp(), "
                    + "lease_until = NULL WHERE " + HELD)) {
                s.setString(1, result.status());
                s.setString(2, Json.toString(result.all()));
                held(s, 3, claim);
                if (s.executeUpdate() == 1) return true;
            }
            // A retry after a commit whose reply was lost: the trial is ended with this claim's token, so it was ours.
            try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM nnlab_trials WHERE sweep = ? AND idx = ? AND token = ? "
                    + "AND status = ? AND finished IS NOT NULL")) {
                s.setLong(1, sweepId);
                s.setInt(2, claim.index());
                s.setLong(3, claim.token());
                s.setString(4, result.status());
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** Gives a claimed trial back to the queue at once (a worker told to stop), if the claim still holds it. */
    @Override
    public void release(Claim claim) {
        call(c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE nnlab_trials SET status = 'queued', lease_until = NULL WHERE " + HELD)) {
                held(s, 1, claim);
                return s.executeUpdate();
            }
        });
    }

    private void held(PreparedStatement s, int first, Claim claim) throws SQLException {
        s.setLong(first, sweepId);
        s.setInt(first + 1, claim.index());
        s.setLong(first + 2, claim.token());
    }

    @Override
    public List<TrialRecord> records() {
        return call(c -> {
            Map<Integer, List<EpochRecord>> epochs = new HashMap<>();
            try (PreparedStatement s = c.prepareStatement("SELECT e.idx, e.epoch, e.train_loss, e.train_acc, e.dev_loss, e.dev_acc, "
                    + "e.test_loss, e.test_acc, e.weight_norm, e.dist_to_analytic, e.seconds FROM nnlab_epochs e JOIN nnlab_trials t "
                    + "ON t.sweep = e.sweep AND t.idx = e.idx AND t.token = e.token WHERE e.sweep = ? ORDER BY e.idx, e.epoch")) {
                s.setLong(1, sweepId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        double[] v = new double[9];
                        for (int i = 0; i < 9; i++) v[i] = nan(rs, 3 + i);
                        epochs.computeIfAbsent(rs.getInt(1), k -> new ArrayList<>())
                                .add(new EpochRecord(rs.getInt(2), v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
                    }
                }
            }
            List<TrialRecord> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT idx, CASE WHEN status = 'running' AND lease_until < clock_timestamp() "
                    + "THEN 'lease expired' ELSE status END, result::text, worker, attempts FROM nnlab_trials WHERE sweep = ? ORDER BY idx")) {
                s.setLong(1, sweepId);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        int idx = rs.getInt(1);
                        if (idx >= trials.size()) continue;
                        String text = rs.getString(3);
                        TrialResult result = text == null ? null : TrialResult.of(Json.parse(text, "trial " + (idx + 1) + "'s result in " + where()));
                        out.add(new TrialRecord(idx, trials.get(idx), rs.getString(2), result, epochs.getOrDefault(idx, List.of()),
                                rs.getString(4), rs.getInt(5)));
                    }
                }
            }
            return out;
        });
    }

    private static double nan(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? Double.NaN : v;
    }

    @Override
    public List<Double> finishedDevAccuracies(int epoch) {
        return call(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT e.dev_acc FROM nnlab_epochs e JOIN nnlab_trials t ON t.sweep = e.sweep "
                    + "AND t.idx = e.idx AND t.token = e.token WHERE e.sweep = ? AND t.status IN ('finished', 'stopped_early') "
                    + "AND e.epoch = ? AND e.dev_acc <> 'NaN'")) {
                s.setLong(1, sweepId);
                s.setInt(2, epoch);
                List<Double> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) out.add(rs.getDouble(1));
                }
                return out;
            }
        });
    }

    @Override
    public void close() {
        Connection c;
        while ((c = idle.poll()) != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing: nothing left to do with it
            }
        }
    }

    private interface Sql<T> {
        T apply(Connection c) throws SQLException;
    }

    /** Waits between attempts at a statement while the server is unreachable: about a minute and a half in all. */
    private static final long[] BACKOFF_MILLIS = {250, 500, 1000, 2000, 4000, 8000, 15000, 30000, 30000};

    /**
     * Runs {@code work} on a pooled connection (one per thread that needs one at a time). A connection that
     * broke (a network cut, the server restarting or shutting down, the connection terminated) is dropped and
     * the work tried again on a new one, waiting longer each time, for about a minute and a half; then
     * {@link Unavailable} says so. Each statement is safe to repeat: a claim repeated after a lost reply
     * leaves an extra claim whose lease runs out; an epoch or a finish repeated finds its own earlier write.
     */
    private <T> T call(Sql<T> work) {
        for (int attempt = 0; ; attempt++) {
            Connection c = idle.pollFirst();
            try {
                if (c == null) c = connect(url);
                T result = work.apply(c);
                idle.addFirst(c);
                return result;
            } catch (SQLException e) {
                boolean broken = broken(e);
                if (c != null) {
                    if (broken) {
                        try {
                            c.close();
                        } catch (SQLException ignored) {
                            // already broken
                        }
                    } else {
                        idle.addFirst(c);
                    }
                }
                if (!broken) throw explain(e, url);
                if (attempt == BACKOFF_MILLIS.length) throw new TrialStore.Unavailable(explain(e, url).getMessage(), e);
                try {
                    Thread.sleep(BACKOFF_MILLIS[attempt]);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                    throw new TrialStore.Unavailable("interrupted while waiting for PostgreSQL at " + url, e);
                }
            }
        }
    }

    /** A connection that is gone or going: connection errors (08…), and the server shutting down or restarting (57P01–57P03). */
    private static boolean broken(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }

    static Connection connect(StoreUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbc(), url.properties());
    }

    /**
     * Creates nnlab's tables in a new database and checks the version of an existing one's, under a lock so
     * that workers starting together create them once.
     */
    static void migrate(Connection c, StoreUrl url) throws SQLException {
        // Read first: a user who may only read and write nnlab's tables (no CREATE on the schema) works on a
        // database whose tables exist.
        Integer version = version(c);
        if (version == null) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
                version = version(c);
                if (version == null) {
                    s.execute("CREATE TABLE nnlab_schema (version int NOT NULL)");
                    for (String ddl : SCHEMA) s.execute(ddl);
                    s.execute("INSERT INTO nnlab_schema (version) VALUES (" + SCHEMA_VERSION + ")");
                    version = SCHEMA_VERSION;
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
        if (version > SCHEMA_VERSION) {
            throw new IllegalStateException("the store " + url + " was made by a newer nnlab (its tables are version " + version
                    + "; this nnlab knows version " + SCHEMA_VERSION + " and older): upgrade nnlab on this machine");
        }
    }

    /** The version nnlab's tables record, or null when the database has none of them yet. */
    private static Integer version(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_regclass('nnlab_schema') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) return null;
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT max(version) FROM nnlab_schema")) {
            return rs.next() ? (Integer) rs.getObject(1) : null;
        }
    }

    /** One line for what went wrong talking to the server, naming it (never its password) and what to do. */
    static RuntimeException explain(SQLException e, StoreUrl url) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = url.host() + ":" + url.port();
        Throwable cause = e.getCause();
        if (cause instanceof UnknownHostException) {
            return new IllegalStateException("cannot reach PostgreSQL at " + where + ": there is no host named '" + url.host()
                    + "'; check the --store URL's host");
        }
        if (cause instanceof ConnectException || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
                || state.equals("08001")) {
            return new IllegalStateException("cannot reach PostgreSQL at " + where + " (" + (cause != null ? cause.getMessage() : e.getMessage())
                    + "): is the server running, and does it listen there (listen_addresses, pg_hba.conf, the firewall)?");
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return new IllegalStateException("PostgreSQL at " + where + " refused user '" + url.user() + "' (" + firstLine(e) + "): "
                    + (url.password() == null ? "no password was given; " : "") + "give the right password in the URL "
                    + "(?password=…), PGPASSWORD or ~/.pgpass");
        }
        if (state.equals("3D000")) {
            return new IllegalStateException("PostgreSQL at " + where + " has no database '" + url.database() + "': create it (createdb -h "
                    + url.host() + " -p " + url.port() + " -U " + url.user() + " " + url.database() + ") or name another in the URL");
        }
        if (state.equals("42501")) {
            return new IllegalStateException("user '" + url.user() + "' may not use nnlab's tables in " + url + " (" + firstLine(e)
                    + "): the first sweep creates them and needs CREATE on the schema (GRANT CREATE ON SCHEMA public TO " + url.user()
                    + "), or let the database's owner start it; workers then need SELECT, INSERT, UPDATE on the nnlab_ tables and "
                    + "USAGE on nnlab_tokens, reports only SELECT");
        }
        if (firstLine(e).contains("SSL")) {
            return new IllegalStateException("PostgreSQL at " + where + " and nnlab disagree on SSL (" + firstLine(e) + "): check the "
                    + "URL's sslmode against the server's ssl setting");
        }
        if (state.startsWith("08")) {
            return new IllegalStateException("the connection to PostgreSQL at " + where + " broke (" + firstLine(e) + "); rerun the same "
                    + "command to go on where it stopped");
        }
        return new IllegalStateException("PostgreSQL at " + url + ": " + firstLine(e), e);
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.lines().findFirst().orElse(m).strip();
    }
}
