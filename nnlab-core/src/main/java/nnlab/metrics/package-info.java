/**
 * Figures computed from predictions: {@link nnlab.metrics.Metrics} (accuracy, RMSE) and the
 * per-epoch {@link nnlab.metrics.EpochRecord}. Imports no other nnlab package.
 */
package nnlab.metrics;
