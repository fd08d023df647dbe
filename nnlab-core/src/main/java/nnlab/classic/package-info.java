/**
 * The course's numpy models written from scratch on plain {@code double[]}: {@link
 * nnlab.classic.Perceptron}, {@link nnlab.classic.LogisticRegression}, {@link
 * nnlab.classic.LinearRegression} (SGD and the minimum-norm closed form) and {@link
 * nnlab.classic.Mlp} (hand-written backpropagation), trained by the course's {@link
 * nnlab.classic.CourseLoop}.
 *
 * <p>float64 with numpy's semantics: per-example SGD in the order given, first-index argmax,
 * weights drawn from {@link nnlab.random.RandomState} in numpy's order. The perceptron reproduces
 * numpy to the digit; the other models agree to rounding (summation order differs from BLAS).
 * These models never use autograd, so they stay independent oracles for {@code nn}.
 * Imports only {@code nnlab.data}, {@code nnlab.metrics} and {@code nnlab.random}.
 */
package nnlab.classic;
