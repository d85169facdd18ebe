"""ONNX post-processing used by build_models.py: canonical names, pruning,
zero-pad folding, fp16 weight storage, and numeric comparison helpers."""

import re

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper

_GEN = re.compile(r"__\d+")
_CANON = re.compile(r"__c\d+$")


def canonicalize(model):
    """Make tf2onnx output reproducible.

    tf2onnx 1.17 names the tensors and nodes it creates `<base>__<counter>`,
    and the counters depend on object-id ordering, so two runs of the same
    conversion differ only in these names (and in initializer order). This
    renames every generated name to `<base>__c<k>`, with k assigned in order of
    first appearance in the (deterministic) node list, and sorts initializers
    and value_info by first use. Names without a counter (the TFLite tensor
    names and the graph inputs / outputs) are left as they are.
    """
    g = model.graph
    protected = {v.name for v in g.input} | {v.name for v in g.output}
    base_map, order = {}, {}

    def split(name):
        base, sep, port = name.rpartition(":")
        if sep and port.isdigit():
            return base, ":" + port
        return name, ""

    def rename(name):
        if not name or name in protected:
            return name
        base, port = split(name)
        if not _GEN.search(base):
            return name
        if base not in base_map:
            if _CANON.search(base):
                raise ValueError(f"name already looks canonical: {base}")
            base_map[base] = f"{_GEN.sub('', base)}__c{len(base_map)}"
        return base_map[base] + port

    def seen(name):
        order.setdefault(name, len(order))

    for node in g.node:
        node.name = rename(node.name)
        for i, n in enumerate(node.input):
            node.input[i] = rename(n)
            seen(node.input[i])
        for i, n in enumerate(node.output):
            node.output[i] = rename(n)
            seen(node.output[i])
    inits = list(g.initializer)
    for t in inits:
        t.name = rename(t.name)
    vis = list(g.value_info)
    for v in vis:
        v.name = rename(v.name)
    big = len(order) + 1
    inits.sort(key=lambda t: (order.get(t.name, big), t.name))
    vis.sort(key=lambda v: (order.get(v.name, big), v.name))
    del g.initializer[:]
    g.initializer.extend(inits)
    del g.value_info[:]
    g.value_info.extend(vis)
    names = [n for node in g.node for n in node.output] + [t.name for t in g.initializer]
    if len(names) != len(set(names)):
        raise ValueError("canonicalize produced duplicate names")
    return model


def prune(model, inputs, outputs):
    """Sub-graph from `inputs` to `outputs` (onnx.utils.Extractor), keeping
    the converter's producer fields, graph name and the output order given."""
    ext = onnx.utils.Extractor(model)
    sub = ext.extract_model(list(inputs), list(outputs))
    sub.graph.name = model.graph.name
    sub.graph.doc_string = model.graph.doc_string
    sub.producer_name = model.producer_name
    sub.producer_version = model.producer_version
    sub.doc_string = model.doc_string
    sub.model_version = model.model_version
    sub.ir_version = model.ir_version
    del sub.opset_import[:]
    sub.opset_import.extend(model.opset_import)
    onnx.checker.check_model(sub)
    return sub


def fold_pads(model):
    """Fold each constant-zero spatial Pad that feeds exactly one Conv (directly,
    or through the NHWC->NCHW input Transpose) into that Conv's `pads`.

    tf2onnx turns Keras ZeroPadding2D into explicit Pad nodes. A Conv pads with
    zeros itself, so the result is the same numbers, but ONNX Runtime then keeps
    the convolution in its blocked NCHWc layout instead of copying every padded
    tensor, which made the lite landmark model about 5 % faster (2 threads:
    4.16 -> 3.96 ms, 1 thread 5.44 -> 5.12, medians of 10 interleaved rounds).
    Returns (model, n_folded). A Pad of any other shape is left alone."""
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    consumers = {}
    for node in g.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    def attr(node, name):
        return next((a for a in node.attribute if a.name == name), None)

    def only_consumer(name):
        users = consumers.get(name, [])
        return users[0] if len(users) == 1 and name not in {o.name for o in g.output} else None

    folded = []
    for pad in [n for n in g.node if n.op_type == "Pad"]:
        mode = attr(pad, "mode")
        if (mode is not None and mode.s != b"constant") or pad.input[1] not in inits:
            continue
        if len(pad.input) > 2 and pad.input[2]:
            value = inits.get(pad.input[2])
            if value is None or np.any(numpy_helper.to_array(value) != 0):
                continue
        p = numpy_helper.to_array(inits[pad.input[1]]).tolist()
        if len(p) != 8:
            continue
        conv, nhwc = only_consumer(pad.output[0]), False
        if conv is not None and conv.op_type == "Transpose":
            perm = attr(conv, "perm")
            if perm is None or list(perm.ints) != [0, 3, 1, 2]:
                continue
            conv, nhwc = only_consumer(conv.output[0]), True
        if conv is None or conv.op_type != "Conv":
            continue
        # ONNX pads are [x1_begin, x2_begin, ..., x1_end, x2_end, ...].
        n_b, h_b, w_b, c_b, n_e, h_e, w_e, c_e = p if nhwc else [p[i] for i in (0, 2, 3, 1, 4, 6, 7, 5)]
        if n_b or c_b or n_e or c_e:
            continue
        auto_pad = attr(conv, "auto_pad")
        if auto_pad is not None and auto_pad.s not in (b"NOTSET", b"VALID"):
            continue
        pads = attr(conv, "pads")
        old = list(pads.ints) if pads is not None else [0, 0, 0, 0]
        for a in (auto_pad, pads):
            if a is not None:
                conv.attribute.remove(a)
        conv.attribute.append(helper.make_attribute(
            "pads", [old[0] + h_b, old[1] + w_b, old[2] + h_e, old[3] + w_e]))
        # The Pad's consumer reads the Pad's input instead.
        user = consumers[pad.output[0]][0]
        for i, name in enumerate(user.input):
            if name == pad.output[0]:
                user.input[i] = pad.input[0]
        folded.append(pad)
    for pad in folded:
        g.node.remove(pad)
    used = {name for node in g.node for name in node.input}
    keep = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(keep)
    onnx.checker.check_model(model)
    return model, len(folded)


def fp16_storage(model):
    """Store every fp32 initializer that round-trips exactly through fp16 as
    fp16 plus a Cast node. ORT folds the Casts at load time (any optimisation
    level >= BASIC), so the optimised graph is the same as for the fp32 file.
    Returns (model, n_converted, n_kept_fp32)."""
    g = model.graph
    casts, kept, new_inits, conv = [], 0, [], 0
    for t in g.initializer:
        if t.data_type != onnx.TensorProto.FLOAT:
            new_inits.append(t)
            continue
        a = numpy_helper.to_array(t)
        h = a.astype(np.float16)
        if a.size < 16 or not np.array_equal(h.astype(np.float32), a, equal_nan=True):
            new_inits.append(t)
            kept += 1
            continue
        h16 = numpy_helper.from_array(h, t.name + "__fp16")
        new_inits.append(h16)
        casts.append(helper.make_node("Cast", [h16.name], [t.name],
                                      name=t.name + "__cast", to=onnx.TensorProto.FLOAT))
        conv += 1
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    onnx.checker.check_model(model)
    return model, conv, kept


def session(path_or_bytes, threads=1):
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    so.log_severity_level = 3
    return ort.InferenceSession(path_or_bytes, so, providers=["CPUExecutionProvider"])


def run(sess, x):
    name = sess.get_inputs()[0].name
    outs = sess.run(None, {name: x})
    return {o.name: v for o, v in zip(sess.get_outputs(), outs)}


def structured_inputs(shape, lo, hi, seed, n_random=4):
    """Random U(lo,hi) inputs plus a few structured ones."""
    rng = np.random.default_rng(seed)
    xs = [("random%d" % i, rng.uniform(lo, hi, shape).astype(np.float32))
          for i in range(n_random)]
    xs.append(("zeros", np.full(shape, lo, np.float32)))
    xs.append(("mid", np.full(shape, (lo + hi) / 2, np.float32)))
    _, h, w, c = shape
    yy, xx = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
    grad = np.stack([xx, yy, (xx + yy) / 2][:c], -1)[None]
    xs.append(("gradient", (lo + (hi - lo) * grad).astype(np.float32)))
    # A bright blob on a dark background (crude person-sized shape).
    blob = ((xx - 0.5) ** 2 / 0.02 + (yy - 0.5) ** 2 / 0.15 < 1).astype(np.float32)
    blob = np.repeat(blob[..., None], c, -1)[None]
    xs.append(("blob", (lo + (hi - lo) * (0.2 + 0.6 * blob)).astype(np.float32)))
    return xs
