package nnlab.tensor.ops;

import nnlab.tensor.DType;
import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.Workspace;
import nnlab.tensor.kernel.Convolution;

/**
 * Max pooling over windows of x [n, c, h, w] → [n, c, oh, ow]; the gradient of each output goes to
 * the first maximal element of its window (the one PyTorch picks).
 */
final class MaxPool2d extends Op {
    private final int kh, kw, sh, sw, ph, pw;
    private Convolution.Geometry g;
    private Shape inputShape;
    private int[] argmax;

    MaxPool2d(int kh, int kw, int sh, int sw, int ph, int pw) {
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor x = inputs[0];
        g = Pooling.geometry("max_pool2d", x, kh, kw, sh, sw, ph, pw);
        inputShape = x.shape();
        Tensor y = Tensor.zeros(x.dtype(), Shape.of(g.n(), g.c(), g.oh(), g.ow()));
        argmax = Workspace.ints(y.size());
        if (x.dtype() == DType.FLOAT32) {
            Convolution.maxPool(g, x.floatData(), y.floatData(), argmax);
        } else {
            Convolution.maxPool(g, x.doubleData(), y.doubleData(), argmax);
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gy) {
        Tensor gx = Tensor.zeros(gy.dtype(), inputShape);
        if (gy.dtype() == DType.FLOAT32) {
            Convolution.maxPoolBackward(g, gy.floatData(), argmax, gx.floatData());
        } else {
            Convolution.maxPoolBackward(g, gy.doubleData(), argmax, gx.doubleData());
        }
        return new Tensor[] {gx};
    }
}
