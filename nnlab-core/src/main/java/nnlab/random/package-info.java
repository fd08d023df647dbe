/**
 * Random numbers: {@link nnlab.random.Rng}, the fast seeded and splittable default, and
 * {@link nnlab.random.RandomState}, which reproduces numpy's legacy {@code np.random.RandomState}.
 * Imports no other nnlab package.
 */
package nnlab.random;
