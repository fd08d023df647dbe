package nnlab.tensor.ops;

import nnlab.tensor.DType;
import nnlab.tensor.Op;
import nnlab.tensor.Shape;
import nnlab.tensor.Tensor;
import nnlab.tensor.kernel.Convolution;

/**
 * Average pooling over windows of x [n, c, h, w] → [n, c, oh, ow], zero padding counted in the
 * window's kh·kw (PyTorch's default); each output's gradient is spread evenly over its window.
 */
final class AvgPool2d extends Op {
    private final int kh, kw, sh, sw, ph, pw;
    private Convolution.Geometry g;
    private Shape inputShape;

    AvgPool2d(int kh, int kw, int sh, int sw, int ph, int pw) {
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
        g = Pooling.geometry("avg_pool2d", x, kh, kw, sh, sw, ph, pw);
        inputShape = x.shape();
        Tensor y = Tensor.zeros(x.dtype(), Shape.of(g.n(), g.c(), g.oh(), g.ow()));
        if (x.dtype() == DType.FLOAT32) {
            Convolution.avgPool(g, x.floatData(), y.floatData());
        } else {
            Convolution.avgPool(g, x.doubleData(), y.doubleData());
        }
        return y;
    }

    @Override
    protected Tensor[] backward(Tensor gy) {
        Tensor gx = Tensor.zeros(gy.dtype(), inputShape);
        if (gy.dtype() == DType.FLOAT32) {
            Convolution.avgPoolBackward(g, gy.floatData(), gx.floatData());
        } else {
            Convolution.avgPoolBackward(g, gy.doubleData(), gx.doubleData());
        }
        return new Tensor[] {gx};
    }
}
