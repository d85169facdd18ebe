"""Sparse -> dense pre-pass for a TFLite model (pose-models.md section 3).

The BlazePose detector stores 38 fp16 weight tensors sparse; each one feeds a
DENSIFY op. tf2onnx cannot read sparse tensors, so this script

1. runs the model once in the LiteRT interpreter with the op resolver WITHOUT
   default delegates (XNNPACK would absorb the DENSIFY ops and never write
   their outputs) and experimental_preserve_all_tensors=True, and reads every
   DENSIFY output (the dense fp16 weight);
2. stores each of those dense tensors as a constant buffer;
3. deletes the DENSIFY ops, drops the orphaned sparse tensors, buffers and
   operator codes, and renumbers tensor / buffer / opcode indices;
4. writes the model and checks that its outputs are bit-identical to the
   original model's on several inputs.

Usage: python densify_tflite.py IN.tflite OUT.tflite
Exit status is non-zero if the self-check fails.
"""

import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType
from tensorflow.lite.python import schema_py_generated as schema_fb
from tensorflow.lite.tools import flatbuffer_utils as fu

NP_TYPES = {
    schema_fb.TensorType.FLOAT32: np.float32,
    schema_fb.TensorType.FLOAT16: np.float16,
    schema_fb.TensorType.INT8: np.int8,
    schema_fb.TensorType.UINT8: np.uint8,
    schema_fb.TensorType.INT32: np.int32,
}


def make_interpreter(path, xnnpack=False):
    resolver = (OpResolverType.AUTO if xnnpack
                else OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interp = Interpreter(model_path=path, experimental_op_resolver_type=resolver,
                         experimental_preserve_all_tensors=not xnnpack,
                         num_threads=1)
    interp.allocate_tensors()
    return interp


def run(interp, x):
    interp.set_tensor(interp.get_input_details()[0]["index"], x)
    interp.invoke()
    return [interp.get_tensor(d["index"]).copy()
            for d in interp.get_output_details()]


def test_inputs(shape):
    rng = np.random.default_rng(20261125)
    xs = [rng.uniform(-1, 1, shape).astype(np.float32) for _ in range(3)]
    xs.append(np.zeros(shape, np.float32))
    xs.append(np.full(shape, -1.0, np.float32))
    ramp = np.linspace(-1, 1, int(np.prod(shape)), dtype=np.float32)
    xs.append(ramp.reshape(shape))
    return xs


def densify(src, dst):
    interp = make_interpreter(src)
    in_shape = interp.get_input_details()[0]["shape"]
    run(interp, test_inputs(in_shape)[0])

    model = fu.read_model(src)
    if len(model.subgraphs) != 1:
        raise SystemExit(f"expected 1 subgraph, got {len(model.subgraphs)}")
    sg = model.subgraphs[0]
    opnames = [fu.opcode_to_name(model, i) for i in range(len(model.operatorCodes))]

    kept_ops, n_dense = [], 0
    for op in sg.operators:
        if opnames[op.opcodeIndex] != "DENSIFY":
            kept_ops.append(op)
            continue
        out_idx = op.outputs[0]
        t = sg.tensors[out_idx]
        dense = interp.get_tensor(out_idx)
        want = NP_TYPES[t.type]
        if dense.dtype != want or tuple(dense.shape) != tuple(t.shape):
            raise SystemExit(f"DENSIFY output {out_idx}: got {dense.dtype}{dense.shape},"
                             f" want {np.dtype(want)}{tuple(t.shape)}")
        if not np.any(dense):
            raise SystemExit(f"DENSIFY output {out_idx} is all zeros: was it preserved?")
        buf = schema_fb.BufferT()
        buf.data = np.frombuffer(dense.astype(np.dtype(want).newbyteorder("<")).tobytes(),
                                 dtype=np.uint8)
        model.buffers.append(buf)
        t.buffer = len(model.buffers) - 1
        n_dense += 1
    sg.operators = kept_ops

    # Drop tensors no longer referenced and renumber.
    used_t = set(sg.inputs) | set(sg.outputs)
    for op in sg.operators:
        for lst in (op.inputs, op.outputs, op.intermediates):
            if lst is not None:
                used_t.update(int(i) for i in lst if i >= 0)
    t_map = {old: new for new, old in enumerate(sorted(used_t))}
    remap_t = lambda lst: None if lst is None else [t_map[int(i)] if i >= 0 else -1 for i in lst]
    n_tensors_before = len(sg.tensors)
    sg.tensors = [sg.tensors[i] for i in sorted(used_t)]
    sg.inputs, sg.outputs = remap_t(sg.inputs), remap_t(sg.outputs)
    for op in sg.operators:
        op.inputs, op.outputs = remap_t(op.inputs), remap_t(op.outputs)
        op.intermediates = remap_t(op.intermediates)
    if model.signatureDefs:
        for sd in model.signatureDefs:
            for tm in (sd.inputs or []) + (sd.outputs or []):
                tm.tensorIndex = t_map[tm.tensorIndex]

    # Drop buffers no longer referenced (buffer 0 is the empty sentinel) and renumber.
    used_b = {0} | {t.buffer for t in sg.tensors}
    used_b |= {md.buffer for md in (model.metadata or [])}
    used_b |= {int(b) for b in (model.metadataBuffer if model.metadataBuffer is not None else [])}
    b_map = {old: new for new, old in enumerate(sorted(used_b))}
    n_buffers_before = len(model.buffers)
    model.buffers = [model.buffers[i] for i in sorted(used_b)]
    for t in sg.tensors:
        t.buffer = b_map[t.buffer]
    for md in model.metadata or []:
        md.buffer = b_map[md.buffer]
    if model.metadataBuffer is not None:
        model.metadataBuffer = [b_map[int(b)] for b in model.metadataBuffer]

    # Drop unused operator codes (DENSIFY) and renumber.
    used_c = sorted({op.opcodeIndex for op in sg.operators})
    c_map = {old: new for new, old in enumerate(used_c)}
    model.operatorCodes = [model.operatorCodes[i] for i in used_c]
    for op in sg.operators:
        op.opcodeIndex = c_map[op.opcodeIndex]

    if any(t.sparsity is not None for t in sg.tensors):
        raise SystemExit("sparse tensors left after densify")
    fu.write_model(model, dst)
    print(f"densify: {n_dense} DENSIFY ops removed; tensors {n_tensors_before} -> "
          f"{len(sg.tensors)}; buffers {n_buffers_before} -> {len(model.buffers)}")

    # Self-check: bit-identical outputs (reference kernels, and XNNPACK for info).
    worst = 0.0
    for xnn in (False, True):
        a, b = make_interpreter(src, xnn), make_interpreter(dst, xnn)
        diff = 0.0
        for x in test_inputs(in_shape):
            for oa, ob in zip(run(a, x), run(b, x)):
                if oa.shape != ob.shape:
                    raise SystemExit("self-check: output shapes differ")
                diff = max(diff, float(np.max(np.abs(oa.astype(np.float64) - ob))))
        label = "XNNPACK" if xnn else "no default delegates"
        print(f"densify self-check ({label}): max |diff| = {diff:g}")
        if not xnn:
            worst = diff
    if worst != 0.0:
        raise SystemExit("densify self-check FAILED: outputs not bit-identical")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    densify(sys.argv[1], sys.argv[2])
