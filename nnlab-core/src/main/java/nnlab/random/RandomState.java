package nnlab.random;

/**
 * numpy's legacy generator {@code np.random.RandomState}, reproduced: the same seed and the same
 * sequence of calls give the same numbers as numpy (checked against numpy 1.24 fixtures).
 *
 * <p>Underneath is the 32-bit Mersenne Twister MT19937 (Matsumoto &amp; Nishimura 1998) with
 * numpy's legacy algorithms on top. Everything is bit-exact except, rarely, the last bits of a
 * normal (see {@link #standardNormal()}). Every method consumes exactly the 32-bit draws numpy
 * consumes, so calls may be interleaved freely (a permutation, then normals, then a permutation)
 * and still match the same calls made in numpy. {@code np.random.seed(s)} followed by the
 * module-level functions ({@code np.random.permutation}, ...) is the same generator as
 * {@code RandomState(s)}.
 *
 * <p>This generator exists to reproduce numpy results; it is slower and statistically weaker
 * than {@link Rng}, which is the default everywhere else. Not thread-safe.
 */
public final class RandomState {
    private static final int STATE_LENGTH = 624;
    private static final int SHIFT = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    private static final long MAX_SEED = 0xFFFF_FFFFL;

    private final int[] key = new int[STATE_LENGTH];
    private int position;
    /** numpy's {@code has_gauss}/{@code gauss}: the second value of the last polar pair, if unused. */
    private boolean hasGauss;
    private double gauss;

    /**
     * Same generator as numpy's {@code RandomState(seed)} or {@code np.random.seed(seed)} with a
     * Python int.
     *
     * <p>For an int numpy uses MT19937's {@code init_genrand}, not {@code init_by_array}:
     * {@code key[0] = seed}, {@code key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >>> 30)) + i}
     * (mod 2<sup>32</sup>).
     *
     * @param seed in [0, 2<sup>32</sup> - 1], the range numpy accepts
     * @throws IllegalArgumentException if the seed is outside that range
     */
    public RandomState(long seed) {
        if (seed < 0 || seed > MAX_SEED) {
            throw new IllegalArgumentException(
                    "seed must be between 0 and 2^32 - 1 (as in numpy), got " + seed);
        }
        int x = (int) seed;
        for (int i = 0; i < STATE_LENGTH; i++) {
            key[i] = x;
            x = 1812433253 * (x ^ (x >>> 30)) + i + 1;
        }
        position = STATE_LENGTH;
    }

    // ---------------------------------------------------------------- uniform doubles

    /**
     * numpy's {@code random_sample()} (also {@code random()}, {@code rand()}): a uniform double in
     * [0, 1) with 53 random bits, from two 32-bit draws a and b:
     * {@code ((a >>> 5) * 2^26 + (b >>> 6)) / 2^53}.
     */
    public double randomSample() {
        int a = nextUint32() >>> 5;
        int b = nextUint32() >>> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /** numpy's {@code random_sample(size=n)}: n calls of {@link #randomSample()}, in order. */
    public double[] randomSample(int n) {
        double[] out = new double[checkCount(n)];
        for (int i = 0; i < n; i++) {
            out[i] = randomSample();
        }
        return out;
    }

    /**
     * numpy's {@code uniform(low, high)}: {@code low + (high - low) * randomSample()}, in [low, high).
     * As in numpy, {@code low > high} is allowed and gives values in (high, low].
     *
     * @throws IllegalArgumentException if {@code high - low} is not finite (numpy raises OverflowError)
     */
    public double uniform(double low, double high) {
        double range = checkedRange(low, high);
        return low + range * randomSample();
    }

    /** numpy's {@code uniform(low, high, size=n)}: n calls of {@link #uniform(double, double)}. */
    public double[] uniform(double low, double high, int n) {
        double range = checkedRange(low, high);
        double[] out = new double[checkCount(n)];
        for (int i = 0; i < n; i++) {
            out[i] = low + range * randomSample();
        }
        return out;
    }

    // ---------------------------------------------------------------- normal

    /**
     * numpy's legacy {@code standard_normal()} ({@code legacy_gauss}): the Marsaglia polar method.
     * Draw {@code x1 = 2u1 - 1}, {@code x2 = 2u2 - 1} with {@code u = randomSample()} until
     * {@code 0 < r2 = x1^2 + x2^2 < 1}; then {@code f = sqrt(-2 ln(r2) / r2)}, return
     * {@code f * x2} and keep {@code f * x1} for the next call. The kept value survives other
     * calls in between (uniforms, permutations), exactly as in numpy.
     *
     * <p>The only method that is not bit-exact: about 1 value in 3000 differs from numpy by up to
     * 3 ulp, because {@code ln} rounds differently in Java and in glibc (see the code). The draws
     * consumed are always numpy's, so every later call is unaffected.
     */
    public double standardNormal() {
        if (hasGauss) {
            hasGauss = false;
            return gauss;
        }
        double x1;
        double x2;
        double r2;
        do {
            x1 = 2.0 * randomSample() - 1.0;
            x2 = 2.0 * randomSample() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        // numpy calls the C library's log. glibc's (2.28+) is not always correctly rounded and no
        // Java function rounds like it; Math.log agrees on all but ~0.035% of normals (each then
        // off by at most 3 ulp), StrictMath.log (fdlibm) misses 3%. The draws consumed never differ.
        double f = Math.sqrt(-2.0 * Math.log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /** numpy's {@code standard_normal(size=n)}: n calls of {@link #standardNormal()}. */
    public double[] standardNormal(int n) {
        double[] out = new double[checkCount(n)];
        for (int i = 0; i < n; i++) {
            out[i] = standardNormal();
        }
        return out;
    }

    /**
     * numpy's legacy {@code normal(loc, scale)}: {@code loc + scale * standardNormal()}.
     *
     * @throws IllegalArgumentException if {@code scale < 0} or is NaN (numpy raises ValueError)
     */
    public double normal(double loc, double scale) {
        checkScale(scale);
        return loc + scale * standardNormal();
    }

    /** numpy's {@code normal(loc, scale, size=n)}: n calls of {@link #normal(double, double)}. */
    public double[] normal(double loc, double scale, int n) {
        checkScale(scale);
        double[] out = new double[checkCount(n)];
        for (int i = 0; i < n; i++) {
            out[i] = loc + scale * standardNormal();
        }
        return out;
    }

    // ---------------------------------------------------------------- integers

    /**
     * numpy's {@code randint(low, high)} with the default dtype int64: a uniform integer in
     * [low, high), by masked rejection sampling (see {@link #boundedUnsigned(long)}).
     * A range of one value consumes no draw.
     *
     * @throws IllegalArgumentException if {@code low >= high}
     */
    public long randint(long low, long high) {
        checkInterval(low, high);
        return low + boundedUnsigned(high - 1 - low);
    }

    /** numpy's {@code randint(low, high, size=n)}: n calls of {@link #randint(long, long)}. */
    public long[] randint(long low, long high, int n) {
        checkInterval(low, high);
        long[] out = new long[checkCount(n)];
        for (int i = 0; i < n; i++) {
            out[i] = low + boundedUnsigned(high - 1 - low);
        }
        return out;
    }

    /**
     * numpy's {@code permutation(n)}: {@code arange(n)} shuffled by {@link #shuffle(int[])}.
     * {@code new RandomState(42).permutation(10)} is {@code [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]}.
     */
    public int[] permutation(int n) {
        int[] out = new int[checkCount(n)];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        shuffle(out);
        return out;
    }

    /**
     * numpy's {@code shuffle(a)} for a 1-d array, in place: Fisher–Yates from the end,
     * for i = n-1 down to 1: swap {@code a[i]} with {@code a[j]}, j uniform in [0, i]
     * (numpy's {@code random_interval(i)}).
     */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) boundedUnsigned(i);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** numpy's {@code shuffle(a)} for a 1-d float64 array, in place; same draws as {@link #shuffle(int[])}. */
    public void shuffle(double[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = (int) boundedUnsigned(i);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * A uniform integer in [0, range], range read as unsigned 64-bit: draw, keep the low bits
     * under the smallest mask {@code 2^k - 1 >= range}, reject while above range.
     *
     * <p>numpy has two routines for this, {@code random_bounded_uint64} (randint, masked) and
     * {@code random_interval} (shuffle), which agree on every detail reproduced here: range 0
     * draws nothing; a range that fits in 32 bits draws 32 bits at a time; a wider one draws
     * 64 bits as two 32-bit draws, the first one being the high half.
     */
    private long boundedUnsigned(long range) {
        if (range == 0) {
            return 0;
        }
        long mask = -1L >>> Long.numberOfLeadingZeros(range);
        long value;
        if (Long.compareUnsigned(range, 0xFFFF_FFFFL) <= 0) {
            do {
                value = Integer.toUnsignedLong(nextUint32()) & mask;
            } while (value > range);
        } else {
            do {
                value = nextUint64() & mask;
            } while (Long.compareUnsigned(value, range) > 0);
        }
        return value;
    }

    // ---------------------------------------------------------------- MT19937

    /** The next 32 tempered bits of MT19937 ({@code genrand_int32}), as an int to be read unsigned. */
    private int nextUint32() {
        if (position == STATE_LENGTH) {
            regenerate();
        }
        int y = key[position++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    /** numpy's {@code mt19937_next64}: high half first. */
    private long nextUint64() {
        long high = Integer.toUnsignedLong(nextUint32());
        return high << 32 | Integer.toUnsignedLong(nextUint32());
    }

    /**
     * The twist of all 624 words. One loop with indices mod n is the reference's three loops:
     * entries past i have not been twisted yet, entries before i (reached by wrapping) have,
     * exactly as in the reference.
     */
    private void regenerate() {
        for (int i = 0; i < STATE_LENGTH; i++) {
            int y = (key[i] & UPPER_MASK) | (key[(i + 1) % STATE_LENGTH] & LOWER_MASK);
            key[i] = key[(i + SHIFT) % STATE_LENGTH] ^ (y >>> 1) ^ ((y & 1) == 0 ? 0 : MATRIX_A);
        }
        position = 0;
    }

    // ---------------------------------------------------------------- argument checks

    private static int checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("size must be non-negative, got " + n);
        }
        return n;
    }

    private static void checkInterval(long low, long high) {
        if (low >= high) {
            throw new IllegalArgumentException(
                    "randint needs low < high (high is exclusive), got low=" + low + ", high=" + high);
        }
    }

    private static void checkScale(double scale) {
        if (!(scale >= 0)) {
            throw new IllegalArgumentException("scale must be non-negative, got " + scale);
        }
    }

    private static double checkedRange(double low, double high) {
        double range = high - low;
        if (!Double.isFinite(range)) {
            throw new IllegalArgumentException(
                    "uniform needs a finite high - low, got low=" + low + ", high=" + high);
        }
        return range;
    }
}
