"""Compare our models/*.onnx with the reference conversions in
shared/models/*.onnx (fp32, unpruned) on identical inputs. Run by hand:

    .venv/convert/bin/python scripts/convert/compare_reference.py [--ref DIR] [--n 8]

Inputs: fixed seed, --n random tensors, U(-1,1) for the detector and U(0,1)
for the landmark models, plus a few structured inputs (constant, gradient,
blob). Prints max |diff| per output that both models have (ours drops the
landmark models' segmentation output Identity_2). Exit status 1 if an output
differs by more than --tol (default 1e-4, fp32 rounding level).
"""

import argparse
import os
import sys

import numpy as np

sys.dont_write_bytecode = True  # no __pycache__ in scripts/convert
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_tools as ot  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = [("pose_detector.onnx", (-1.0, 1.0)),
          ("pose_landmark_lite.onnx", (0.0, 1.0)),
          ("pose_landmark_full.onnx", (0.0, 1.0))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default=os.path.join(os.path.dirname(ROOT), "shared", "models"))
    ap.add_argument("--ours", default=os.path.join(ROOT, "models"))
    ap.add_argument("--n", type=int, default=8, help="number of random inputs")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--tol", type=float, default=1e-4)
    a = ap.parse_args()

    bad = False
    print("| model | output | shape | max abs diff | max abs value | inputs |")
    print("|---|---|---|---:|---:|---:|")
    for fname, (lo, hi) in MODELS:
        ours = ot.session(os.path.join(a.ours, fname))
        ref = ot.session(os.path.join(a.ref, fname))
        shape = [int(d) for d in ours.get_inputs()[0].shape]
        ref_shape = [int(d) for d in ref.get_inputs()[0].shape]
        if shape != ref_shape:
            raise SystemExit(f"{fname}: input shape {shape} vs reference {ref_shape}")
        xs = ot.structured_inputs(shape, lo, hi, a.seed, n_random=a.n)
        ref_names = [o.name for o in ref.get_outputs()]
        shared = [o.name for o in ours.get_outputs() if o.name in ref_names]
        only_ref = [n for n in ref_names if n not in shared]
        diff = {n: 0.0 for n in shared}
        mag = {n: 0.0 for n in shared}
        shapes = {}
        for _, x in xs:
            ro, rr = ot.run(ours, x), ot.run(ref, x)
            for n in shared:
                if ro[n].shape != rr[n].shape:
                    raise SystemExit(f"{fname} {n}: shape {ro[n].shape} vs {rr[n].shape}")
                shapes[n] = ro[n].shape
                diff[n] = max(diff[n], float(np.max(np.abs(ro[n].astype(np.float64) - rr[n]))))
                mag[n] = max(mag[n], float(np.max(np.abs(rr[n]))))
        for n in shared:
            print(f"| {fname} | {n} | {list(shapes[n])} | {diff[n]:.3g} | {mag[n]:.4g} | {len(xs)} |")
            bad |= diff[n] > a.tol
        if only_ref:
            print(f"| {fname} | {', '.join(only_ref)} | (reference only, pruned from ours) | – | – | – |")
    if bad:
        print(f"FAIL: some output differs by more than {a.tol:g}")
        return 1
    print(f"OK: all shared outputs within {a.tol:g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
