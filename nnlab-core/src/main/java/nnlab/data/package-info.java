/**
 * Data: the files a deep-learning course hands out, and finding them by name.
 *
 * <ul>
 *   <li>Readers and writers: numpy {@code .npy} and {@code .npz}, IDX (MNIST, Fashion-MNIST, raw or
 *       gzipped) and numeric CSV, each read into an {@link nnlab.data.NdArray}: a dtype, a shape and a
 *       primitive array in C order. Python pickles are never read.</li>
 *   <li>The course's layouts as {@link nnlab.data.CourseData} (train, dev, test of float64 features and
 *       int labels or double targets): {@link nnlab.data.CourseFiles} loads an {@code .npz}, a folder of
 *       IDX files (with the course's {@code RandomState(42)} split) or a CSV file.</li>
 *   <li>{@link nnlab.data.Datasets} resolves a name from the {@link nnlab.data.Catalogue} in
 *       {@code $NNLAB_DATA}, the user cache and {@code /usr/share/datasets}, then the copy embedded in
 *       the jar or a checksum-verified download; {@link nnlab.data.DataPlaces} says where.</li>
 *   <li>{@link nnlab.data.DataLoader}: seeded mini-batches as tensors.</li>
 * </ul>
 *
 * <p>Every problem with a file is a {@link nnlab.data.DataFileException} whose message names the file,
 * says what is wrong (expected versus found) and what to do.
 */
package nnlab.data;
