/**
 * Readers and writers for the data files a deep-learning course hands out: numpy {@code .npy} and
 * {@code .npz}, IDX (MNIST, Fashion-MNIST, raw or gzipped) and numeric CSV.
 *
 * <p>Everything is read into an {@link nnlab.data.NdArray}: a dtype, a shape and a primitive array in
 * C order. Only the JDK is used; nothing here depends on the rest of nnlab. Every problem with a file
 * is a {@link nnlab.data.DataFileException} whose message names the file, says what is wrong (expected
 * versus found) and what to do. Python pickles are never read.
 */
package nnlab.data;
