package nnlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The expected digest of a file: an algorithm ({@code SHA-256}, or {@code MD5} where a source
 * publishes nothing better) and the digest in lower-case hex.
 *
 * @param algorithm {@code "SHA-256"} or {@code "MD5"}
 * @param hex       the digest, 64 (SHA-256) or 32 (MD5) hex digits; stored in lower case
 */
public record Checksum(String algorithm, String hex) {

    /** Checks the algorithm and the length and digits of the digest. */
    public Checksum {
        int digits = switch (algorithm) {
            case "SHA-256" -> 64;
            case "MD5" -> 32;
            default -> throw new IllegalArgumentException("unsupported checksum algorithm '" + algorithm
                    + "': use SHA-256 or MD5");
        };
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() != digits || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("a " + algorithm + " digest has " + digits + " hex digits, got '" + hex + "'");
        }
    }

    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    /** A new digest of this checksum's algorithm. */
    MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM lacks " + algorithm + ", which every Java platform must provide", e);
        }
    }

    /** The digest of a file with this checksum's algorithm, in lower-case hex. */
    public String digestOf(Path file) {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
        } catch (IOException e) {
            throw DataIo.readFailed(file.toString(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether a file has this digest. */
    public boolean matches(Path file) {
        return hex.equals(digestOf(file));
    }

    @Override
    public String toString() {
        return algorithm + " " + hex;
    }
}
