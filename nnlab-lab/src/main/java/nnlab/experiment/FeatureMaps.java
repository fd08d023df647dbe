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
}
