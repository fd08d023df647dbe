package nnlab.nn;

import java.util.random.RandomGenerator;
import nnlab.random.Rng;
import nnlab.tensor.Tensor;

/**
 * Inverted dropout, as PyTorch's: in training mode each element is zeroed with probability p and the
 * survivors are scaled by 1/(1 − p), so the expected output equals the input; in eval mode it is the
 * identity. The mask is drawn from the generator given here.
 */
public final class Dropout extends Module {
    private final double p;
    private final RandomGenerator rng;

    public Dropout(double p, RandomGenerator rng) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!isTraining() || p == 0) return input;
        Tensor mask = Tensor.zeros(input.dtype(), input.shape());
        if (input.dtype() == nnlab.tensor.DType.FLOAT32) {
            sampleMask(mask.floatData());
        } else {
            double keep = p == 1 ? 0 : 1 / (1 - p);
            for (int i = 0; i < mask.size(); i++) mask.setFlat(i, rng.nextDouble() >= p ? keep : 0);
        }
        return input.mul(mask);
    }

    /**
     * Draws a mask as {@link #forward} does in training mode, into {@code mask} (0 or 1/(1 − p)), from
     * the same generator and in the same order: fused training steps use it to stay identical to
     * the module.
     */
    public void sampleMask(float[] mask) {
        sampleMask(mask, 0, mask.length);
    }

    /** {@link #sampleMask(float[])} for {@code mask[from:to]} only, drawing to − from values in order. */
    public void sampleMask(float[] mask, int from, int to) {
        float keep = p == 1 ? 0f : (float) (1 / (1 - p));
        if (rng instanceof Rng r) {
            // Rng's nextDouble() is the JDK default (nextLong() >>> 11)·2⁻⁵³, so "nextDouble() >= p" is
            // exactly "(nextLong() >>> 11) >= ⌈p·2⁵³⌉" (p·2⁵³ is exact): no double conversion, and a
            // branch-free select instead of a branch that mispredicts on about p of the draws.
            long threshold = (long) Math.ceil(p * 0x1p53);
            int keepBits = Float.floatToRawIntBits(keep);
            for (int i = from; i < to; i++) {
                long drop = ((r.nextLong() >>> 11) - threshold) >> 63; // −1 when dropped, else 0
                mask[i] = Float.intBitsToFloat(keepBits & ~(int) drop);
            }
            return;
        }
        for (int i = from; i < to; i++) mask[i] = rng.nextDouble() >= p ? keep : 0f;
    }

    /** The probability of zeroing an element. */
    public double p() {
        return p;
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
