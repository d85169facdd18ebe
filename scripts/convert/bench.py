"""Load and run timings of the converted models (run by hand after
scripts/convert_models; numbers go into models/MODELS.md).

    .venv/convert/bin/python scripts/convert/bench.py [--runs 100] [--rounds 3]

onnxruntime CPU EP, graph optimisation ALL, 1 intra-op and 1 inter-op thread.
Per model variant and round: median of --loads session creations, then 20
warm-up runs and the median of --runs timed runs on one random input. Rounds
are interleaved across variants (the box may be busy); the table shows the
best (lowest) round median and the spread over rounds.
Variants: shipped models/*.onnx, plus from .venv/convert-cache/work the fp32
files (unpruned = all five outputs; pruned fp32).
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in scripts/convert
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_tools as ot  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
W = os.path.join(ROOT, ".venv/convert-cache/work")
M = os.path.join(ROOT, "models")

VARIANTS = [
    ("detector fp32", f"{W}/pose_detector.unpruned.onnx", (-1, 1)),
    ("detector shipped (fp16-stored)", f"{M}/pose_detector.onnx", (-1, 1)),
    ("lite unpruned fp32", f"{W}/pose_landmark_lite.unpruned.onnx", (0, 1)),
    ("lite pruned fp32", f"{W}/pose_landmark_lite.pruned_fp32.onnx", (0, 1)),
    ("lite shipped (pruned, fp16-stored)", f"{M}/pose_landmark_lite.onnx", (0, 1)),
    ("full unpruned fp32", f"{W}/pose_landmark_full.unpruned.onnx", (0, 1)),
    ("full pruned fp32", f"{W}/pose_landmark_full.pruned_fp32.onnx", (0, 1)),
    ("full shipped (pruned, fp16-stored)", f"{M}/pose_landmark_full.onnx", (0, 1)),
]


def measure(path, lo, hi, runs, loads):
    lt = []
    for _ in range(loads):
        t0 = time.perf_counter()
        s = ot.session(path)
        lt.append(time.perf_counter() - t0)
    inp = s.get_inputs()[0]
    shape = [int(d) for d in inp.shape]
    x = np.random.default_rng(7).uniform(lo, hi, shape).astype(np.float32)
    feed = {inp.name: x}
    for _ in range(20):
        s.run(None, feed)
    rt = []
    for _ in range(runs):
        t0 = time.perf_counter()
        s.run(None, feed)
        rt.append(time.perf_counter() - t0)
    return statistics.median(lt) * 1e3, statistics.median(rt) * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    res = {v[0]: [] for v in VARIANTS}
    for r in range(a.rounds):
        for name, path, (lo, hi) in VARIANTS:
            res[name].append(measure(path, lo, hi, a.runs, a.loads))
        print(f"round {r + 1}/{a.rounds} done", file=sys.stderr)
    print(f"| variant | bytes | load ms (median of {a.loads}) | run ms (median of {a.runs}), best round |"
          " run ms, all rounds |")
    print("|---|---:|---:|---:|---|")
    for name, path, _ in VARIANTS:
        loads = [l for l, _ in res[name]]
        runs = [r for _, r in res[name]]
        print(f"| {name} | {os.path.getsize(path)} | {min(loads):.1f} | {min(runs):.2f} | "
              + " / ".join(f"{r:.2f}" for r in runs) + " |")


if __name__ == "__main__":
    main()
