package nnlab.tensor;

/**
 * The differentiable operations behind {@link Tensor}'s methods. The implementation lives in
 * {@code nnlab.tensor.ops} (one class per primitive) and is found through {@link java.util.ServiceLoader},
 * so this package does not depend on that one.
 */
public interface OpSet {
    Tensor add(Tensor a, Tensor b);
    Tensor sub(Tensor a, Tensor b);
    Tensor mul(Tensor a, Tensor b);
    Tensor div(Tensor a, Tensor b);
    Tensor neg(Tensor x);
    Tensor exp(Tensor x);
    Tensor log(Tensor x);
    Tensor tanh(Tensor x);
    Tensor sigmoid(Tensor x);
    Tensor relu(Tensor x);
    Tensor abs(Tensor x);
    Tensor sqrt(Tensor x);
    Tensor softplus(Tensor x);
    Tensor binaryCrossEntropy(Tensor probabilities, Tensor target);
    Tensor pow(Tensor x, double exponent);
    Tensor clamp(Tensor x, double min, double max);
    Tensor matmul(Tensor a, Tensor b);
    Tensor linear(Tensor x, Tensor weight, Tensor bias);
    Tensor sum(Tensor x);
    Tensor sum(Tensor x, int axis, boolean keepDim);
    Tensor mean(Tensor x);
    Tensor mean(Tensor x, int axis, boolean keepDim);
    Tensor max(Tensor x, int axis, boolean keepDim);
    Tensor reshape(Tensor x, Shape shape);
    Tensor transpose(Tensor x, int axis0, int axis1);
    Tensor sliceRows(Tensor x, int from, int to);
    Tensor indexSelect(Tensor x, int[] rows);
    Tensor gather(Tensor x, int[] columns);
    Tensor logSoftmax(Tensor x, int axis);
    Tensor softmax(Tensor x, int axis);
    Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int strideH, int strideW, int padH, int padW);
    Tensor maxPool2d(Tensor x, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW);
    Tensor avgPool2d(Tensor x, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW);
    Tensor batchNorm(Tensor x, Tensor weight, Tensor bias, double eps);
}
