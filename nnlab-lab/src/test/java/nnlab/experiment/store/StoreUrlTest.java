package nnlab.experiment.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --store URLs read as libpq reads them: URL, then PGPASSWORD, then the password file; never shown with the password. */
class StoreUrlTest {
    @TempDir
    Path home;

    @Test
    void theUrlsPartsAndItsQuery() {
        StoreUrl u = StoreUrl.parse("postgresql://db.lab:6543/sweeps?user=ana&password=s%40cret&sslmode=require", Map.of(), home);
        assertEquals("db.lab", u.host());
        assertEquals(6543, u.port());
        assertEquals("sweeps", u.database());
        assertEquals("ana", u.user());
        assertEquals("s@cret", u.password());
        assertEquals("jdbc:postgresql://db.lab:6543/sweeps", u.jdbc());
        assertEquals("require", u.properties().getProperty("sslmode"));
        // Shown without its password but with its options, so that a command built from it reaches the same database the same way.
        assertEquals("postgresql://ana@db.lab:6543/sweeps?sslmode=require", u.toString());
        assertEquals(u.host(), StoreUrl.parse(u.toString(), Map.of(), home).host());
        assertEquals("require", StoreUrl.parse(u.toString(), Map.of(), home).options().get("sslmode"));
        StoreUrl libpq = StoreUrl.parse("postgresql://[::1]:5433/db?user=a&application_name=lab&connect_timeout=3", Map.of(), home);
        assertEquals("::1", libpq.host());
        assertEquals("jdbc:postgresql://[::1]:5433/db", libpq.jdbc());
        assertEquals("lab", libpq.properties().getProperty("ApplicationName"));
        assertEquals("3", libpq.properties().getProperty("connectTimeout"));
        StoreUrl v = StoreUrl.parse("postgres://bo:pw@host/db", Map.of(), home);
        assertEquals(5432, v.port());
        assertEquals("bo", v.user());
        assertEquals("pw", v.password());
    }

    @Test
    void thePasswordComesFromTheEnvironmentOrThePasswordFile() throws Exception {
        assertEquals("env", StoreUrl.parse("postgresql://h/db?user=u", Map.of("PGPASSWORD", "env"), home).password());
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "# comment\nother:5432:db:u:no\nh:5432:db:u:a\\:b\\\\c\n*:*:*:*:wild\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        assertEquals("a:b\\c", StoreUrl.parse("postgresql://h/db?user=u", Map.of(), home).password());
        assertEquals("wild", StoreUrl.parse("postgresql://elsewhere:1/x?user=z", Map.of(), home).password());
        assertEquals("url", StoreUrl.parse("postgresql://h/db?user=u&password=url", Map.of("PGPASSWORD", "env"), home).password());
        // Readable by others: not used, as libpq does not.
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-r--r--"));
        assertNull(StoreUrl.parse("postgresql://h/db?user=u", Map.of(), home).password());
        Path other = home.resolve("pass");
        Files.writeString(other, "*:*:*:*:fromfile\n");
        Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
        assertEquals("fromfile", StoreUrl.parse("postgresql://h/db?user=u", Map.of("PGPASSFILE", other.toString()), home).password());
        assertEquals("envuser", StoreUrl.parse("postgresql://h/db", Map.of("PGUSER", "envuser"), home).user());
    }

    @Test
    void badUrlsAreRefusedSayingWhatToGiveWithoutShowingThePassword() {
        for (String bad : new String[] {"", "mysql://h/db", "postgresql:///db", "postgresql://h", "postgresql://h/", "postgresql://h/a/b",
                "postgresql://h/db?colour=red&password=hunter2", "not a url at all password=hunter2", "postgresql://u:hun/ter2@h/db",
                "postgresql://u:hunter2@@h/db/x", "postgresql://h:99999/db?password=hunter2", "postgresql://h/db?sslmode=bogus&password=hunter2"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> StoreUrl.parse(bad, Map.of(), home), bad);
            assertTrue(e.getMessage().contains("postgresql://HOST") || e.getMessage().contains("unknown option 'colour'")
                    || e.getMessage().contains("is not a port") || e.getMessage().contains("sslmode=bogus is none of"), e.getMessage());
            assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("ter2"), e.getMessage());
        }
        assertEquals("postgresql://u:***@h/db", StoreUrl.redact("postgresql://u:p@ss/w@h/db"));
        assertEquals("postgresql://u:***@h/db?password=***", StoreUrl.redact("postgresql://u:pw@h/db?password=pw"));
    }
}
