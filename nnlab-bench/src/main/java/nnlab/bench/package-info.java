/** JMH benchmarks of nnlab's kernels. Run with {@code scripts/bench-kernels}. */
package nnlab.bench;
