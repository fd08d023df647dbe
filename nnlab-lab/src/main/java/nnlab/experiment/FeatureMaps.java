package nnlab.experiment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import nnlab.data.DataLoader;
import nnlab.data.Examples;
import nnlab.nn.Conv2d;
import nnlab.nn.Module;
import nnlab.nn.Sequential;
import nnlab.tensor.Autograd;
import nnlab.tensor.Tensor;

/**
 * What a convolutional network sees of one image: the image and the output of each convolution
 * after its activation, saved as {@value #FILE} ({@code image} [c, h, w], then {@code conv1},
 * {@code conv2}, … [channels, h', w']) so that the run's report can draw them from its files alone.
 */
public final class FeatureMaps {
    public static final String FILE = "feature_maps.npz";

    private FeatureMaps() {}

    /** Whether a model has convolutions whose maps are worth saving. */
    public static boolean applies(Module model) {
        return model instanceof Sequential seq && seq.children().values().stream().anyMatch(m -> m instanceof Conv2d);
    }

    /**
     * Runs example {@code index} of {@code images} (batched as images) through {@code model} in eval
     * mode and writes the maps into {@code dir}, with the example's label and the model's prediction.
     */
    public static void save(Sequential model, Examples images, int index, Path dir) {
        DataLoader.Batch batch = new DataLoader(images, 1, false, null).batch(new int[] {index});
        Map<String, Tensor> maps = new LinkedHashMap<>();
        maps.put("image", batch.x().reshape(dropBatch(batch.x().dims())));
        boolean wasTraining = model.isTraining();
        model.eval();
        try (var scope = Autograd.noGrad()) {
            Tensor x = batch.x();
            int convolutions = 0;
            boolean afterConvolution = false;
            for (int i = 0; i < model.size(); i++) {
                Module layer = model.get(i);
                // A convolution's map is taken after the activation that follows it (ReLU in the course's CNN).
                if (afterConvolution && !(layer instanceof Conv2d) && x.rank() == 4 && isActivation(layer)) {
                    x = layer.forward(x);
                    maps.put("conv" + convolutions, x.reshape(dropBatch(x.dims())));
                    afterConvolution = false;
                    continue;
                }
                x = layer.forward(x);
                if (layer instanceof Conv2d) {
                    convolutions++;
                    afterConvolution = true;
                }
            }
            maps.put("label", Tensor.scalar(images.labels()[index]));
            maps.put("predicted", Tensor.scalar(x.argmax(1)[0]));
        } finally {
            model.train(wasTraining);
        }
        Checkpoints.save(dir.resolve(FILE), maps);
    }

    private static boolean isActivation(Module layer) {
        return layer instanceof nnlab.nn.ReLU || layer instanceof nnlab.nn.Tanh || layer instanceof nnlab.nn.Sigmoid;
    }

    private static int[] dropBatch(int[] dims) {
        return java.util.Arrays.copyOfRange(dims, 1, dims.length);
    }

    /**
     * A saved picture of the network's view: the image's label, the model's prediction, and each
     * saved array ({@code image}, {@code conv1}, …) as [channels][height][width].
     */
    public record Saved(int label, int predicted, Map<String, float[][][]> maps) {}

    /** What {@link #save} wrote into {@code dir}, or null when it holds none. */
    public static Saved read(Path dir) {
        Path file = dir.resolve(FILE);
        if (!java.nio.file.Files.exists(file)) return null;
        Map<String, Tensor> arrays = Checkpoints.load(file);
        Map<String, float[][][]> maps = new LinkedHashMap<>();
        arrays.forEach((name, t) -> {
            if (t.rank() == 3) maps.put(name, planes(t, t.dim(0)));
        });
        return new Saved((int) arrays.get("label").item(), (int) arrays.get("predicted").item(), maps);
    }

    /**
     * The first convolution's filters in a run's checkpoint, as [out][in][kh][kw] (its {@code 0.weight}
     * when that is 4-D), or null for a model without one.
     */
    public static float[][][][] firstFilters(Path checkpoint) {
        if (!java.nio.file.Files.exists(checkpoint)) return null;
        Tensor w = Checkpoints.load(checkpoint).get("0.weight");
        if (w == null || w.rank() != 4) return null;
        float[][][][] out = new float[w.dim(0)][][][];
        float[][][] all = planes(w.reshape(w.dim(0) * w.dim(1), w.dim(2), w.dim(3)), w.dim(0) * w.dim(1));
        for (int o = 0; o < w.dim(0); o++) out[o] = java.util.Arrays.copyOfRange(all, o * w.dim(1), (o + 1) * w.dim(1));
        return out;
    }

    /** A [count, h, w] tensor as planes of rows. */
    private static float[][][] planes(Tensor t, int count) {
        int h = t.dim(1), w = t.dim(2);
        float[][][] out = new float[count][h][w];
        for (int c = 0; c < count; c++) for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) out[c][i][j] = (float) t.getFlat((c * h + i) * w + j);
        return out;
    }
}
