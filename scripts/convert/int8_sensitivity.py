"""How far int8 quantisation moves the lite landmark model's landmarks (run by hand;
figures in docs/PERFORMANCE.md, "Tried and not shipped").

    cargo run --release --example dump_crops CROPS 3 ../shared/videos/*.mp4
    .venv/convert/bin/python scripts/convert/int8_sensitivity.py CROPS

Calibrates on the crops of seven clips and evaluates on four others (every second crop),
against the pruned fp32 model that scripts/convert_models leaves in .venv/convert-cache/work.
Per variant: mean, p95 and max shift of the 33 body landmarks' x, y in crop pixels, the
largest change of the pose flag, and the median single-thread run time of both models.
"""

import os
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat,
                                      QuantType, quantize_dynamic, quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FP32 = os.path.join(ROOT, ".venv/convert-cache/work/pose_landmark_lite.pruned_fp32.onnx")
CALIBRATION = ["approach_jump_front_slowmo_30fps", "hops_repeated_front_portrait_30fps",
               "jump_front_reach_portrait_vfr60fps", "cmj_side_armswing_dark_50fps",
               "cmj_jumpmat_frontoblique_tiltcam_30fps", "cmj_jumpmat_rearoblique_pancam_30fps",
               "droplanding_table_soft_sideoblique_30fps"]
EVALUATION = ["cmj_side_multi6_29fps", "cmj_front_armswing_platform_portrait_30fps",
              "sj_oblique_portrait_30fps", "droplanding_table_stiff_sideoblique_29fps"]


def crops(folder, name, step):
    raw = np.fromfile(os.path.join(folder, name + ".f32"), dtype="<f4")
    return list(raw.reshape(-1, 1, 256, 256, 3)[::step])


def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    so.inter_op_num_threads = 1
    so.log_severity_level = 3
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def outputs(path, xs):
    s = session(path)
    return [s.run(None, {"input_1": x}) for x in xs]


def median_ms(path, x, runs=150):
    s = session(path)
    for _ in range(20):
        s.run(None, {"input_1": x})
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        s.run(None, {"input_1": x})
        times.append(time.perf_counter() - t0)
    return float(np.median(times)) * 1e3


def shift(reference, candidate):
    d, flag = [], 0.0
    for r, c in zip(reference, candidate):
        a, b = r[0].reshape(39, 5)[:33], c[0].reshape(39, 5)[:33]
        d.append(np.hypot(a[:, 0] - b[:, 0], a[:, 1] - b[:, 1]))
        flag = max(flag, abs(float(r[1].ravel()[0] - c[1].ravel()[0])))
    d = np.concatenate(d)
    return float(d.mean()), float(np.percentile(d, 95)), float(d.max()), flag


class Reader(CalibrationDataReader):
    def __init__(self, xs):
        self.it = iter(xs)

    def get_next(self):
        x = next(self.it, None)
        return None if x is None else {"input_1": x}


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    folder = sys.argv[1]
    calibration = [x for n in CALIBRATION for x in crops(folder, n, 3)]
    evaluation = [x for n in EVALUATION for x in crops(folder, n, 2)]
    work = tempfile.mkdtemp(prefix="int8_")
    pre = os.path.join(work, "pre.onnx")
    quant_pre_process(FP32, pre, skip_symbolic_shape=True)
    convs = [n.name for n in onnx.load(pre).graph.node if n.op_type == "Conv"]
    reference = outputs(FP32, evaluation)
    fp32_ms = median_ms(FP32, evaluation[0])
    print(f"{len(calibration)} calibration crops, {len(evaluation)} evaluation crops; "
          f"fp32 {fp32_ms:.2f} ms")

    def only(lo, hi):  # quantise Conv nodes lo..hi-1 only
        return dict(op_types_to_quantize=["Conv"],
                    nodes_to_exclude=[c for i, c in enumerate(convs) if not lo <= i < hi])

    variants = [
        ("whole model, min-max", {}, CalibrationMethod.MinMax, False),
        ("whole model, percentile 99.99", {}, CalibrationMethod.Percentile, False),
        ("whole model, 7-bit weights", {}, CalibrationMethod.MinMax, True),
        ("first convolution only", only(0, 1), CalibrationMethod.MinMax, False),
        ("second convolution only", only(1, 2), CalibrationMethod.MinMax, False),
        ("first ten convolutions", only(0, 10), CalibrationMethod.MinMax, False),
        ("last one before the heads", only(62, 63), CalibrationMethod.MinMax, False),
        ("output heads and heatmap decoder", only(63, len(convs)), CalibrationMethod.MinMax, False),
    ]
    print(f"{'variant':<36} {'mean px':>8} {'p95 px':>8} {'max px':>8} {'flag':>6} {'ms':>6}")
    for label, kw, method, reduce in variants:
        path = os.path.join(work, "q.onnx")
        extra = {"CalibPercentile": 99.99} if method == CalibrationMethod.Percentile else {}
        quantize_static(pre, path, Reader(calibration), quant_format=QuantFormat.QDQ,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8, calibrate_method=method,
                        reduce_range=reduce, extra_options=extra, **kw)
        mean, p95, worst, flag = shift(reference, outputs(path, evaluation))
        print(f"{label:<36} {mean:8.2f} {p95:8.2f} {worst:8.1f} {flag:6.3f} "
              f"{median_ms(path, evaluation[0]):6.2f}")
    path = os.path.join(work, "dynamic.onnx")
    quantize_dynamic(pre, path, op_types_to_quantize=["Conv"], per_channel=True,
                     weight_type=QuantType.QUInt8, nodes_to_exclude=convs[62:])
    mean, p95, worst, flag = shift(reference, outputs(path, evaluation))
    print(f"{'dynamic (backbone)':<36} {mean:8.2f} {p95:8.2f} {worst:8.1f} {flag:6.3f} "
          f"{median_ms(path, evaluation[0]):6.2f}")
    for label, change in [("input rounded to 1/255", lambda x: np.round(x * 255) / 255),
                          ("input shifted by one pixel", lambda x: np.roll(x, 1, axis=2))]:
        mean, p95, worst, flag = shift(reference, outputs(FP32, [change(x) for x in evaluation]))
        print(f"{'fp32, ' + label:<36} {mean:8.2f} {p95:8.2f} {worst:8.1f} {flag:6.3f}")


if __name__ == "__main__":
    main()
