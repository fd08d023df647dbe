/** Raw loops over primitive arrays: elementwise maps, reductions, matmul (SIMD via the JDK Vector API). */
package nnlab.tensor.kernel;
