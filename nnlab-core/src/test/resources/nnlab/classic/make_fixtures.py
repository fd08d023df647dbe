#!/usr/bin/python3
"""Writes course_fixtures.txt: the course's numpy loop on small generated data, for CourseLoopNumpyTest.

Run from this directory with Debian's python3-numpy (numpy 1.24):
    /usr/bin/python3 make_fixtures.py > course_fixtures.txt

The models and the loop below are the course's (hw1-q1/q2/q3.py), written plainly:
np.random.seed(42); build the model (the MLP draws W1, W2, ... with np.random.normal(0.1, 0.1,
(out, in)), biases zero); then per epoch X, y = X[perm], y[perm] with perm =
np.random.permutation(n) (cumulative), train one example at a time, evaluate.

Data: "fashion-like" images (8x8, 4 classes, pixels k/256, about half zeros) and a linear
regression problem, both drawn from their own RandomState with randint/random_sample only, so
the Java test regenerates them bit for bit (it checks the checksums written here).

Format, tab-separated:
  data  NAME  seed=S  n=N  features=F  checksum=C
  run   NAME  model=M  data=D  epochs=E  learning_rate=..  [l2_penalty=..]  [hidden=16,8]  [activation=relu]
  epoch NAME  E  key=value ...          (float values are repr(), which round-trips exactly)
  solve NAME  data=D  ridge=R  w=v1,v2,...
"""
import numpy as np

SPLIT = (200, 50, 50)  # train, dev, test


def fashion_like(seed, n=sum(SPLIT), side=8, classes=4):
    rs = np.random.RandomState(seed)
    features = side * side
    templates = rs.randint(0, 256, size=(classes, features))
    masks = rs.random_sample((classes, features)) < 0.5
    labels = rs.randint(0, classes, size=n)
    noise = rs.randint(-255, 256, size=(n, features))
    pixels = np.where(masks[labels], np.clip(templates[labels] + noise, 0, 255), 0)
    # one label in five replaced by a random class, so no model is perfect
    flipped = rs.random_sample(n) < 0.2
    replacement = rs.randint(0, classes, size=n)
    return pixels, np.where(flipped, replacement, labels)


def linear_like(seed, n=sum(SPLIT), features=12):
    rs = np.random.RandomState(seed)
    x = rs.randint(-128, 129, size=(n, features))
    w = rs.randint(-8, 9, size=features)
    noise = rs.randint(-32, 33, size=n)
    # y = x/64 . w/4 + 3 + noise/64, exactly: every term is a multiple of 1/256
    y = (x @ w + 3 * 256 + 4 * noise) / 256.0
    return x, y


def checksum(values):
    flat = np.asarray(values).reshape(-1)
    return int(sum(int(v) * (i % 1000 + 1) for i, v in enumerate(flat)))


def split(x, y):
    a, b = SPLIT[0], SPLIT[0] + SPLIT[1]
    return {"train": (x[:a], y[:a]), "dev": (x[a:b], y[a:b]), "test": (x[b:], y[b:])}


def with_bias(x):
    return np.hstack([x, np.ones((x.shape[0], 1))])


# ---------------------------------------------------------------- the course's models

class Perceptron:
    def __init__(self, n_classes, n_features):
        self.W = np.zeros((n_classes, n_features))

    def train_epoch(self, X, y):
        for x_i, y_i in zip(X, y):
            y_hat = np.argmax(self.W.dot(x_i))
            if y_hat != y_i:
                self.W[y_i] += x_i
                self.W[y_hat] -= x_i

    def predict(self, X):
        return np.argmax(self.W.dot(X.T), axis=0)


class LogisticRegression(Perceptron):
    def __init__(self, n_classes, n_features, learning_rate, l2_penalty):
        super().__init__(n_classes, n_features)
        self.lr, self.l2 = learning_rate, l2_penalty

    def train_epoch(self, X, y):
        for x_i, y_i in zip(X, y):
            scores = self.W.dot(x_i)
            exp_scores = np.exp(scores - np.max(scores))
            probabilities = exp_scores / np.sum(exp_scores)
            for k in range(self.W.shape[0]):
                gradient = (probabilities[k] - (y_i == k)) * x_i
                self.W[k] -= self.lr * (gradient + self.l2 * self.W[k])


class MLP:
    def __init__(self, sizes, activation, regression, learning_rate):
        self.W = [np.random.normal(0.1, 0.1, (sizes[l + 1], sizes[l])) for l in range(len(sizes) - 1)]
        self.b = [np.zeros(sizes[l + 1]) for l in range(len(sizes) - 1)]
        self.relu = activation == "relu"
        self.regression = regression
        self.lr = learning_rate

    def forward(self, x):
        zs, hs = [], [x]
        for l in range(len(self.W)):
            z = self.W[l].dot(hs[-1]) + self.b[l]
            zs.append(z)
            if l < len(self.W) - 1:
                hs.append(np.maximum(z, 0) if self.relu else np.tanh(z))
        return zs, hs

    def train_epoch(self, X, y):
        total = 0.0
        for x_i, y_i in zip(X, y):
            zs, hs = self.forward(x_i)
            z = zs[-1]
            if self.regression:
                loss = 0.5 * (z[0] - y_i) ** 2
                g = z - y_i
            else:
                m = np.max(z)
                e = np.exp(z - m)
                s = np.sum(e)
                loss = np.log(s) - (z[y_i] - m)
                g = e / s
                g[y_i] -= 1
            total += loss
            for l in reversed(range(len(self.W))):
                if l > 0:
                    dh = self.W[l].T.dot(g)
                    g_below = dh * (zs[l - 1] > 0) if self.relu else dh * (1 - hs[l] ** 2)
                self.W[l] -= np.outer(self.lr * g, hs[l])
                self.b[l] -= self.lr * g
                if l > 0:
                    g = g_below
        return total

    def predict(self, X):
        out = np.array([self.forward(x)[0][-1] for x in X])
        return out[:, 0] if self.regression else np.argmax(out, axis=1)


class LinearRegression:
    def __init__(self, n_features, learning_rate):
        self.w = np.zeros(n_features)
        self.lr = learning_rate

    def train_epoch(self, X, y):
        for x_i, y_i in zip(X, y):
            y_hat = np.dot(x_i, self.w)
            self.w += self.lr * (y_i - y_hat) * x_i

    def predict(self, X):
        return np.dot(X, self.w)


def accuracy(model, X, y):
    return float(np.mean(model.predict(X) == y))


def rmse(model, X, y):
    error = model.predict(X) - y
    return float(np.sqrt(np.dot(error, error) / y.shape[0]))


# ---------------------------------------------------------------- the course's loop

def fmt(v):
    return repr(float(v))


def run(name, data_name, data, model_name, epochs, learning_rate=None, l2_penalty=None, hidden=None,
        activation=None):
    config = [f"model={model_name}", f"data={data_name}", f"epochs={epochs}"]
    if learning_rate is not None:
        config.append(f"learning_rate={learning_rate!r}")
    if l2_penalty is not None:
        config.append(f"l2_penalty={l2_penalty!r}")
    if hidden is not None:
        config.append("hidden=" + ",".join(map(str, hidden)))
        config.append(f"activation={activation}")
    print("\t".join(["run", name] + config))

    linear = model_name in ("perceptron", "logistic_regression", "linear_regression")
    sets = {k: ((with_bias(x) if linear else x), y) for k, (x, y) in data.items()}
    train_X, train_y = sets["train"]
    n, features = train_X.shape
    classes = int(max(y.max() for _, y in data.values())) + 1

    np.random.seed(42)
    if model_name == "perceptron":
        model = Perceptron(classes, features)
    elif model_name == "logistic_regression":
        model = LogisticRegression(classes, features, learning_rate, l2_penalty)
    elif model_name == "linear_regression":
        model = LinearRegression(features, learning_rate)
        analytic = np.linalg.lstsq(train_X, train_y, rcond=None)[0]
    else:
        out = 1 if model_name == "nn" else classes
        model = MLP([features] + list(hidden) + [out], activation, model_name == "nn", learning_rate)

    for epoch in range(1, epochs + 1):
        order = np.random.permutation(n)
        train_X, train_y = train_X[order], train_y[order]
        loss = model.train_epoch(train_X, train_y)
        figures = []
        if model_name == "mlp":  # the regression loop reports RMSEs only
            figures.append(("loss", loss))
        if model_name in ("linear_regression", "nn"):
            figures += [("train_rmse", rmse(model, train_X, train_y)),
                        ("test_rmse", rmse(model, *sets["test"]))]
            if model_name == "linear_regression":
                figures.append(("distance", np.linalg.norm(analytic - model.w)))
        else:
            figures += [("train_acc", accuracy(model, train_X, train_y)),
                        ("dev_acc", accuracy(model, *sets["dev"])),
                        ("test_acc", accuracy(model, *sets["test"]))]
            if model_name == "logistic_regression":
                figures.append(("weight_norm", np.linalg.norm(model.W)))
        print("\t".join(["epoch", name, str(epoch)] + [f"{k}={fmt(v)}" for k, v in figures]))


def main():
    print(f"# numpy {np.__version__}; generated by make_fixtures.py, do not edit")
    pixels, labels = fashion_like(seed=7)
    print(f"data\tfashion_like\tseed=7\tclasses=4\tn={pixels.shape[0]}\tfeatures={pixels.shape[1]}"
          f"\tchecksum={checksum(pixels)}\tlabel_checksum={checksum(labels)}\tzeros={int(np.sum(pixels == 0))}")
    images = split(pixels / 256.0, labels)
    # Ten classes, as Fashion-MNIST: the linear models have an unrolled kernel for exactly ten.
    pixels, labels = fashion_like(seed=8, classes=10)
    print(f"data\tfashion_like_10\tseed=8\tclasses=10\tn={pixels.shape[0]}\tfeatures={pixels.shape[1]}"
          f"\tchecksum={checksum(pixels)}\tlabel_checksum={checksum(labels)}\tzeros={int(np.sum(pixels == 0))}")
    ten = split(pixels / 256.0, labels)
    x, y = linear_like(seed=11)
    print(f"data\tlinear_like\tseed=11\tn={x.shape[0]}\tfeatures={x.shape[1]}\tchecksum={checksum(x)}"
          f"\ttarget_checksum={checksum(np.round(y * 256))}")
    regression = split(x / 64.0, y)

    run("perceptron", "fashion_like", images, "perceptron", 8)
    run("perceptron_10", "fashion_like_10", ten, "perceptron", 6)
    run("logistic_regression_10", "fashion_like_10", ten, "logistic_regression", 6, 0.01, 0.0)
    run("logistic_regression_10_l2", "fashion_like_10", ten, "logistic_regression", 4, 0.01, 0.05)
    run("mlp_relu_10", "fashion_like_10", ten, "mlp", 4, 0.001, hidden=[16], activation="relu")
    run("logistic_regression", "fashion_like", images, "logistic_regression", 6, 0.01, 0.0)
    run("logistic_regression_l2", "fashion_like", images, "logistic_regression", 6, 0.01, 0.05)
    run("mlp_relu", "fashion_like", images, "mlp", 5, 0.001, hidden=[16], activation="relu")
    run("mlp_tanh_2_layers", "fashion_like", images, "mlp", 5, 0.02, hidden=[12, 8], activation="tanh")
    run("linear_regression", "linear_like", regression, "linear_regression", 6, 0.001)
    run("nn_relu", "linear_like", regression, "nn", 6, 0.0005, hidden=[10], activation="relu")

    # Minimum-norm least squares on a rank-deficient design: columns 0..4 random, 5 = 0 + 1,
    # 6 = 2 * col 2, 7 = zeros, 8 = bias; rank 6 of 9.
    rs = np.random.RandomState(5)
    base = rs.randint(-16, 17, size=(30, 5)) / 8.0
    design = np.hstack([base, base[:, :1] + base[:, 1:2], 2 * base[:, 2:3], np.zeros((30, 1)), np.ones((30, 1))])
    target = rs.randint(-64, 65, size=30) / 16.0
    print(f"data\trank_deficient\tseed=5\tn=30\tfeatures=9\tchecksum={checksum(base * 8)}"
          f"\ttarget_checksum={checksum(target * 16)}\trank={np.linalg.matrix_rank(design)}")
    w = np.linalg.lstsq(design, target, rcond=None)[0]
    print("solve\tmin_norm\tdata=rank_deficient\tridge=0.0\tw=" + ",".join(fmt(v) for v in w))
    ridge = 1e-4
    w = np.linalg.solve(design.T @ design + ridge * np.eye(9), design.T @ target)
    print(f"solve\tridge\tdata=rank_deficient\tridge={ridge!r}\tw=" + ",".join(fmt(v) for v in w))


if __name__ == "__main__":
    main()
