#!/usr/bin/python3
"""The machine's reference sgemm on the products of scripts/bench-kernels' table: OpenBLAS through torch.mm.

Prints GFLOPS (2*m*n*k*calls/s/1e9, median of 7 runs of 0.4 s after 2 s of warm-up) for one and two
threads, with the same layout/layer/product names and m, n, k, op as nnlab.bench.GemmGflops, and the
2048^3 square product as the per-core peak. Run by scripts/bench-kernels after the JMH table; alone:
  /usr/bin/python3 scripts/openblas-gemm.py [batch ...]        (default batch 512)
Needs Debian's python3-torch (apt-get install python3-torch), which calls OpenBLAS's sgemm for mm.
"""
import ctypes
import sys
import time

import torch


def openblas():
    for line in open("/proc/self/maps"):
        if "libopenblas" in line:
            return ctypes.CDLL(line.split()[-1])
    return None


def shapes(batch, layer="784x200"):
    """(layout, product, m, n, k, transA, transB) as GemmBenchmark.shape."""
    i, o = (int(v) for v in layer.split("x"))
    return [
        ("featureMajor", "forward", o, batch, i, 0, 1),
        ("featureMajor", "gradInput", i, batch, o, 1, 0),
        ("featureMajor", "gradWeight", o, i, batch, 0, 0),
        ("outIn", "forward", batch, o, i, 0, 1),
        ("outIn", "gradInput", batch, i, o, 0, 0),
        ("outIn", "gradWeight", o, i, batch, 1, 0),
    ]


def gflops(m, n, k, ta, tb):
    a = torch.rand(k, m).t() if ta else torch.rand(m, k)  # a transposed view: mm passes the transpose to sgemm
    b = torch.rand(n, k).t() if tb else torch.rand(k, n)
    c = torch.empty(m, n)
    flop = 2.0 * m * n * k
    end = time.perf_counter() + 2
    while time.perf_counter() < end:
        torch.mm(a, b, out=c)
    runs = []
    for _ in range(7):
        t0, calls = time.perf_counter(), 0
        while time.perf_counter() - t0 < 0.4:
            torch.mm(a, b, out=c)
            calls += 1
        runs.append(flop * calls / (time.perf_counter() - t0) / 1e9)
    return sorted(runs)[3]


def main():
    batches = [int(b) for b in sys.argv[1:]] or [512]
    ob = openblas()
    if ob is None:
        sys.exit("openblas-gemm.py: torch here does not use OpenBLAS; nothing to compare with")
    ob.openblas_get_corename.restype = ctypes.c_char_p
    torch.manual_seed(42)
    rows = [("", "square", 1024, 1024, 1024, 0, 0), ("", "square", 2048, 2048, 2048, 0, 0)]
    for batch in batches:
        rows += shapes(batch)
    results = {}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        ob.openblas_set_num_threads(threads)
        for layout, product, m, n, k, ta, tb in rows:
            results[(layout, product, m, n, k, threads)] = gflops(m, n, k, ta, tb)
    print("OpenBLAS (%s, torch %s) sgemm GFLOPS, median of 7" % (ob.openblas_get_corename().decode(), torch.__version__))
    print("%-12s %-8s %-10s %5s %5s %5s  %s    1 thread   2 threads" % ("layout", "layer", "product", "m", "n", "k", "op"))
    for layout, product, m, n, k, ta, tb in rows:
        op = ("T" if ta else "N") + ("T" if tb else "N")
        print("%-12s %-8s %-10s %5d %5d %5d  %s  %10.1f  %10.1f" % (
            layout, "" if layout == "" else "784x200", product, m, n, k, op,
            results[(layout, product, m, n, k, 1)], results[(layout, product, m, n, k, 2)]))


if __name__ == "__main__":
    main()
