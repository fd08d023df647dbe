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
        return load(file, null);
    }

    /**
     * Loads a checkpoint, refusing what no model of nnlab's can hold, each with the file and the
     * array named: an array that is not float32 or float64 (ints, bools), a value that is NaN or
     * infinite, and, when {@code expected} is given (name → shape, as {@link Models#parameterShapes}),
     * a missing or extra array or a shape that differs (both shapes shown).
     */
    public static Map<String, Tensor> load(Path file, Map<String, int[]> expected) {
        Map<String, NdArray> arrays = Npz.read(file);
        if (expected != null) {
            for (String name : arrays.keySet()) {
                if (!expected.containsKey(name)) {
                    throw new IllegalArgumentException(file + ": array '" + name + "' is no parameter of the model its config.json "
                            + "describes (" + String.join(", ", expected.keySet()) + ")");
                }
            }
            expected.forEach((name, shape) -> {
                NdArray a = arrays.get(name);
                if (a == null) throw new IllegalArgumentException(file + ": the model's parameter '" + name + "' is missing");
                if (!java.util.Arrays.equals(a.shape(), shape)) {
                    throw new IllegalArgumentException(file + ": '" + name + "' has shape " + Shape.of(a.shape()) + ", but the model "
                            + "config.json describes needs " + Shape.of(shape) + " (was config.json or the data changed?)");
                }
            });
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        arrays.forEach((name, a) -> {
            if (!a.dtype().equals("f4") && !a.dtype().equals("f8")) {
                // numpy's bools read as u1: say what the user saved, not what nnlab read it as.
                String stored = a.dtype().equals("u1") && Npz.storedDtypes(file).getOrDefault(name, "").endsWith("b1") ? "bool" : a.dtype();
                throw new IllegalArgumentException(file + ": '" + name + "' holds " + stored + " values; a checkpoint holds "
                        + "float32 or float64 parameters");
            }
            double[] values = a.toDoubles();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    throw new IllegalArgumentException(file + ": '" + name + "' holds " + values[i] + " (element " + i
                            + "); a model with it cannot predict anything");
                }
            }
            state.put(name, a.dtype().equals("f8") ? Tensor.wrap(values, Shape.of(a.shape()))
                    : Tensor.wrap(a.toFloats(), Shape.of(a.shape())));
        });
        return state;
    }
}
