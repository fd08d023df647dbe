package nnlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import nnlab.random.Rng;
import org.junit.jupiter.api.Test;

/** The loader's float32 features: the examples' values rounded to float, one copy however many loaders read them. */
class DataLoaderTest {
    @Test
    void featuresAreTheExamplesValuesAsFloats() {
        byte[] b = new byte[6 * 4];
        for (int k = 0; k < b.length; k++) b[k] = (byte) (k * 41 + 7);
        Examples e = Examples.ofBytes(b, 1.0 / 256, 6, 4, new int[] {0, 1, 0, 1, 1, 0}, null);
        DataLoader loader = new DataLoader(e, 4, false, null);
        float[] f = loader.featureData();
        for (int k = 0; k < b.length; k++) assertEquals((float) ((b[k] & 0xFF) / 256.0), f[k], "feature " + k);
        DataLoader.Batch second = null;
        for (DataLoader.Batch batch : loader.epoch()) second = batch;
        assertArrayEquals(new int[] {1, 0}, second.labels(), "the last, smaller batch");
        assertEquals(f[4 * 4 + 1], second.x().get(0, 1));
    }

    @Test
    void loadersOfTheSameExamplesShareOneFloatCopy() {
        double[] x = {0.1, 0.2, 0.3, 0.4, 1e-50, 3.0};
        Examples e = Examples.regression(x, 3, 2, new double[] {1, 2, 3});
        DataLoader a = new DataLoader(e, 2, true, new Rng(1));
        DataLoader b = new DataLoader(e, 3, false, null);
        assertSame(a.featureData(), b.featureData());
        for (int k = 0; k < x.length; k++) assertEquals((float) x[k], a.featureData()[k]);
    }
}
