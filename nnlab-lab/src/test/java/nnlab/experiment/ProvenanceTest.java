package nnlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import nnlab.data.CourseData;
import nnlab.data.Examples;
import org.junit.jupiter.api.Test;

/** The data fingerprint depends on the values only, not on how a loader holds them. */
class ProvenanceTest {
    private static CourseData data(boolean asBytes, int changed) {
        int n = 4, d = 3;
        byte[] b = new byte[n * d];
        for (int k = 0; k < b.length; k++) b[k] = (byte) (k * 53 + 200);
        b[0] += (byte) changed;
        double[] x = new double[b.length];
        for (int k = 0; k < b.length; k++) x[k] = (b[k] & 0xFF) / 256.0;
        int[] labels = {0, 1, 1, 0};
        Examples train = asBytes ? Examples.ofBytes(b, 1.0 / 256, n, d, labels, null) : Examples.classification(x, n, d, labels);
        return new CourseData("t", train, null, train.head(2), 2);
    }

    @Test
    void bytesAndTheirFloat64ValuesHashAlike() {
        Object bytes = Provenance.fingerprint(data(true, 0)).get("hash");
        assertEquals(Provenance.fingerprint(data(false, 0)).get("hash"), bytes);
        assertNotEquals(Provenance.fingerprint(data(true, 1)).get("hash"), bytes, "one pixel changed");
    }
}
