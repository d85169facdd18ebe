#!/usr/bin/env python3
"""Writes seed inputs for the analysis fuzz target into fuzz/seeds/: byte strings that
fuzz/case.rs decodes into plausible clips (countermovement jumps, a squat jump, hops, a drop,
gaps and jitter), so the fuzzer starts where jumps are found instead of from noise."""
import math
import pathlib
import struct

OUT = pathlib.Path(__file__).parent / "seeds"
G = 9.81


def header(fps, frames, kind=0, body_px=400, width=1280, height=720, vfr=0):
    # fps byte, width, height, flags, kind, body px, centre x, top y, frame count
    return struct.pack("<BHHBBHhhH", fps, width, height, vfr, kind, body_px, 600, 100, frames)


def frame(lift_px, bend, ctrl=0, jitter=0):
    if ctrl & 1:  # untracked: no pose bytes follow
        return struct.pack("<Bb", ctrl, jitter)
    lift = max(-32768, min(32767, int(round(lift_px * 16))))
    return struct.pack("<BbhB", ctrl, jitter, lift, max(0, min(255, int(bend * 255))))


def jump_frames(fps, px_per_m, height_m, squat=0.8, hold_s=0.0, stand_s=0.8):
    out = []
    dt = 1.0 / fps
    n = lambda s: max(1, int(round(s * fps)))
    out += [(0.0, 0.0)] * n(stand_s)
    down = n(0.5)
    out += [(0.0, squat * (i + 1) / down) for i in range(down)]
    out += [(0.0, squat)] * n(hold_s)
    up = n(0.3)
    out += [(0.0, squat * (1 - (i + 1) / up)) for i in range(up)]
    v0 = math.sqrt(2 * G * height_m)
    flight = 2 * v0 / G
    t = dt
    while t < flight:
        out.append(((v0 * t - G * t * t / 2) * px_per_m, 0.0))
        t += dt
    land = n(0.25)
    out += [(0.0, 0.5 * math.sin(math.pi * (i + 1) / land)) for i in range(land)]
    return out


def write(name, fps, frames, kind=0, **kw):
    data = header(fps, len(frames), kind, **kw) + b"".join(frame(l, b) for l, b in frames)
    (OUT / name).write_bytes(data)


def main():
    OUT.mkdir(exist_ok=True)
    px = 400 / 1.75
    write("cmj_30fps", 30, jump_frames(30, px, 0.40))
    write("cmj_three_60fps", 60, sum((jump_frames(60, px, h) for h in (0.3, 0.45, 0.25)), []))
    write("cmj_240fps", 240, jump_frames(240, px, 0.35, stand_s=0.3))
    write("sj_held_30fps", 30, jump_frames(30, px, 0.30, hold_s=1.5), kind=4)
    hops = [(0.0, 0.0)] * 20
    for _ in range(5):
        hops += jump_frames(30, px, 0.15, squat=0.2, stand_s=0.1)[3:]
    write("hops_30fps", 30, hops)
    drop = [(0.3 * px, 0.0)] * 20 + jump_frames(30, px, 0.35, squat=0.5, stand_s=0.0)
    write("drop_30fps", 30, drop, kind=3)
    gappy = jump_frames(30, px, 0.40)
    data = header(30, len(gappy)) + b"".join(
        frame(l, b, ctrl=1 if i % 7 == 3 else 0, jitter=(i * 37) % 60 - 30)
        for i, (l, b) in enumerate(gappy)
    )
    (OUT / "cmj_gaps_jitter_30fps").write_bytes(data)
    (OUT / "empty").write_bytes(b"")


main()
