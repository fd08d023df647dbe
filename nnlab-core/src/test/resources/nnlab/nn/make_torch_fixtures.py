"""Writes torch_fixtures.npz: PyTorch's outputs and gradients for nnlab's convolution, pooling and
batch-norm layers, on inputs drawn here and stored alongside (float64 throughout).

Run with Debian's PyTorch: /usr/bin/python3 make_torch_fixtures.py (from this folder).
Each case NAME stores NAME.x (input), the layer's own tensors, NAME.y (output), NAME.weights (the
fixed weights w of the scalar L = sum(w * y)) and the gradients of L (NAME.dx, NAME.dweight, ...).
"""
import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
rng = np.random.default_rng(20261207)
out = {}


def tensor(*shape, low=-1.0, high=1.0):
    return torch.tensor(rng.uniform(low, high, size=shape), requires_grad=True)


def record(name, y, **inputs):
    w = torch.tensor(rng.uniform(-1, 1, size=tuple(y.shape)))
    (y * w).sum().backward()
    out[name + ".y"] = y.detach().numpy()
    out[name + ".weights"] = w.numpy()
    for key, t in inputs.items():
        out[name + "." + key] = t.detach().numpy()
        if t.grad is not None:
            out[name + ".d" + key] = t.grad.numpy()


# Convolution: stride 2×1, padding 1×2, non-square kernel, odd sizes.
x, w, b = tensor(2, 3, 7, 6), tensor(4, 3, 3, 2), tensor(4)
record("conv", F.conv2d(x, w, b, stride=(2, 1), padding=(1, 2)), x=x, weight=w, bias=b)
# The course's first convolution: 1→8 channels, 3×3, padding 1.
x, w, b = tensor(2, 1, 9, 9), tensor(8, 1, 3, 3), tensor(8)
record("conv_course", F.conv2d(x, w, b, stride=1, padding=1), x=x, weight=w, bias=b)
# Max pooling with ties (values rounded to 0.25): the gradient goes to the first maximum.
x = torch.tensor(np.round(rng.uniform(-1, 1, size=(2, 2, 7, 5)) * 4) / 4, requires_grad=True)
record("maxpool", F.max_pool2d(x, kernel_size=(3, 2), stride=(2, 1), padding=(1, 0)), x=x)
# The course's pooling (2×2, stride 2), ties included, and a NaN (it wins its window).
x = np.round(rng.uniform(-1, 1, size=(2, 2, 6, 7)) * 4) / 4
x[1, 0, 2, 3] = np.nan
x = torch.tensor(x, requires_grad=True)
record("maxpool2", F.max_pool2d(x, 2), x=x)
x = tensor(2, 2, 7, 5)
record("avgpool", F.avg_pool2d(x, kernel_size=(3, 2), stride=(2, 1), padding=(1, 1)), x=x)
# Batch norm, training mode (batch statistics) then the running statistics after that step.
bn = torch.nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.copy_(torch.tensor(rng.uniform(0.5, 1.5, size=3)))
    bn.bias.copy_(torch.tensor(rng.uniform(-1, 1, size=3)))
x = tensor(4, 3, 3, 2, low=-2, high=3)
record("batchnorm", bn(x), x=x, weight=bn.weight, bias=bn.bias)
out["batchnorm.running_mean"] = bn.running_mean.numpy()
out["batchnorm.running_var"] = bn.running_var.numpy()
bn.eval()
x = tensor(2, 3, 3, 2)
out["batchnorm_eval.x"] = x.detach().numpy()
out["batchnorm_eval.y"] = bn(x).detach().numpy()

np.savez("torch_fixtures.npz", **out)
print("wrote", len(out), "arrays with torch", torch.__version__)
