package nnlab.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import nnlab.data.NdArray;
import nnlab.data.Npz;
import nnlab.tensor.DType;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;

/**
 * Model parameters as an {@code .npz} whose array names are the dotted parameter names
 * ({@code 0.weight}, {@code 3.bias}), so {@code numpy.load} opens it as it is.
 */
public final class Checkpoints {
    private Checkpoints() {}

    public static void save(Path file, Map<String, Tensor> state) {
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        state.forEach((name, t) -> arrays.put(name, t.dtype() == DType.FLOAT32
                ? NdArray.ofFloats(t.toFloatArray(), t.dims())
                : NdArray.ofDoubles(t.toDoubleArray(), t.dims())));
        Npz.write(file, arrays, true);
    }

    public static Map<String, Tensor> load(Path file) {
        Map<String, Tensor> state = new LinkedHashMap<>();
        Npz.read(file).forEach((name, a) -> state.put(name, a.dtype().equals("f8")
                ? Tensor.wrap(a.toDoubles(), Shape.of(a.shape()))
                : Tensor.wrap(a.toFloats(), Shape.of(a.shape()))));
        return state;
    }
}
