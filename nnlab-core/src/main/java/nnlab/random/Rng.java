package nnlab.random;

import java.util.random.RandomGenerator;

/**
 * The default seeded generator of nnlab: xoshiro256** (Blackman &amp; Vigna 2018), 256 bits of
 * state, period 2<sup>256</sup> - 1, seeded from a long through SplitMix64.
 *
 * <p>It is NOT numpy-compatible: to reproduce numpy's numbers use {@link RandomState}. It
 * implements {@link RandomGenerator}, so code elsewhere can accept a {@code RandomGenerator}
 * without importing this package, and gets {@code nextDouble()}, {@code nextInt(bound)},
 * {@code nextGaussian()} and the rest from the JDK's default methods.
 *
 * <p>Give each independent consumer (a data loader, a layer initialiser, a dropout) its own
 * generator obtained by {@link #split()}, so that adding draws to one does not shift the others.
 * Not thread-safe: split one per thread instead.
 */
public final class Rng implements RandomGenerator {
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long s0;
    private long s1;
    private long s2;
    private long s3;

    /**
     * A generator whose whole sequence is fixed by {@code seed}. The four state words are the
     * first four outputs of SplitMix64 started at {@code seed}; as SplitMix64 is a bijection of
     * distinct counters, they are never all zero (the one state xoshiro must avoid).
     */
    public Rng(long seed) {
        long x = seed;
        s0 = mix64(x += GOLDEN_GAMMA);
        s1 = mix64(x += GOLDEN_GAMMA);
        s2 = mix64(x += GOLDEN_GAMMA);
        s3 = mix64(x + GOLDEN_GAMMA);
    }

    /** The raw state, for the reference test vectors of xoshiro256**. */
    Rng(long s0, long s1, long s2, long s3) {
        if ((s0 | s1 | s2 | s3) == 0) {
            throw new IllegalArgumentException("xoshiro256** state must not be all zero");
        }
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
    }

    /**
     * xoshiro256**: output {@code rotl(s1 * 5, 7) * 9}, then advance the state by the xorshift
     * linear map (all arithmetic mod 2<sup>64</sup>).
     */
    @Override
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /**
     * A child generator seeded with this generator's next output. Deterministic: the same parent
     * state gives the same child. Advances this generator by one draw, so successive children
     * differ from each other; the child's SplitMix64-expanded state is unrelated to the parent's,
     * so their sequences are independent for all practical purposes (not provably disjoint).
     */
    public Rng split() {
        return new Rng(nextLong());
    }

    /** A uniformly random permutation of {@code 0, 1, ..., n-1}: {@link #shuffle(int[])} of the identity. */
    public int[] permutation(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("permutation size must be non-negative, got " + n);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        shuffle(out);
        return out;
    }

    /**
     * Shuffles {@code a} in place, uniformly (Fisher–Yates): for i = n-1 down to 1, swap
     * {@code a[i]} with {@code a[j]}, j uniform in [0, i].
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** Shuffles {@code a} in place, uniformly; same draws as {@link #shuffle(int[])}. */
    public void shuffle(double[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** SplitMix64's output function (Steele, Lea &amp; Flood 2014): a bijective 64-bit mixer. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
