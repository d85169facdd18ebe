//! Preview frames for the desktop viewer: small upright RGBA pictures decoded on a background
//! thread.
//!
//! A jump clip is short, so the whole clip is normally decoded once at preview size and kept
//! in memory ([`PreviewMode::Resident`]): stepping and scrubbing are then free. When the clip
//! would not fit the memory budget, frames are decoded on demand ([`PreviewMode::Seeking`]):
//! a keyframe seek plus decoding forward to the wanted frame, a small LRU cache, and the next
//! few frames prefetched so stepping forward stays instant.
//!
//! Nothing here knows about the UI: the caller passes a `notify` callback (the app uses it to
//! request a repaint) and polls [`PreviewSource::frame`] each time it draws.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ffmpeg_next::{Rational, codec, format, frame, software};

use super::decode::OpenedVideo;
use super::frame::{Affine, Frame, Rotation};
use super::normalise::PixelNormaliser;
use super::probe::probe_with_pts;
use super::{DecodeOptions, VideoDecoder, VideoError, VideoInfo};

/// Longest side of a preview picture in pixels.
pub const DEFAULT_MAX_SIDE: u32 = 720;
/// Memory the resident mode may use for one clip's preview frames.
pub const DEFAULT_BUDGET_BYTES: usize = 600 * 1024 * 1024;
/// Smallest long side a resident preview is shrunk to so that a longer clip still fits.
pub const MIN_RESIDENT_SIDE: u32 = 400;
/// Frames decoded past the one asked for in seeking mode (stepping forward stays instant).
const PREFETCH_FRAMES: usize = 8;
/// Frames the seeking mode keeps; far fewer than the budget allows, the cache only has to
/// cover the neighbourhood of the playhead.
const SEEK_CACHE_FRAMES: usize = 48;
/// A wanted frame this far ahead of the decoder is reached by decoding forward, not seeking.
const FORWARD_DECODE_LIMIT: usize = 48;
/// The decoder gives up on a stream after this many rejected packets or pictures.
const MAX_CORRUPT: usize = 1000;
/// Shortest interval between two progress notifications while decoding the whole clip.
// 50 ms: with the analysis's own progress, the window repaints at most ~20 times a second.
const NOTIFY_INTERVAL: Duration = Duration::from_millis(50);

/// How previews are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PreviewOptions {
    /// Longest side of a preview picture in pixels.
    pub max_side: u32,
    /// Memory the whole clip may take at preview size to be kept resident.
    pub budget_bytes: usize,
}

impl Default for PreviewOptions {
    fn default() -> Self {
        Self {
            max_side: DEFAULT_MAX_SIDE,
            budget_bytes: DEFAULT_BUDGET_BYTES,
        }
    }
}

/// Whether the clip is held in memory or decoded on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewMode {
    /// Every frame decoded once and kept.
    Resident,
    /// Frames decoded on demand with a keyframe seek, an LRU cache and prefetch.
    Seeking,
}

/// One upright preview picture.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewFrame {
    /// Displayed frame index.
    pub index: usize,
    /// Presentation time in seconds from the first displayed frame.
    pub time_s: f64,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width × height` RGBA pixels, row by row, alpha always 255.
    pub rgba: Vec<u8>,
}

/// What the preview thread is doing.
#[derive(Debug, Clone)]
pub enum PreviewStatus {
    /// Reading the file's structure.
    Opening,
    /// Decoding the whole clip (resident mode).
    Decoding {
        /// Frames decoded so far.
        done: usize,
        /// Frames in the clip.
        total: usize,
    },
    /// Every frame can be shown (resident: all decoded; seeking: ready to seek).
    Ready,
    /// The clip cannot be previewed.
    Failed(VideoError),
}

/// Facts fixed once the clip is open.
#[derive(Debug, Clone)]
pub struct PreviewLayout {
    /// The probed video.
    pub info: VideoInfo,
    /// Preview width in pixels.
    pub width: usize,
    /// Preview height in pixels.
    pub height: usize,
    /// Resident or seeking.
    pub mode: PreviewMode,
}

/// Preview pictures of one clip, decoded on a background thread.
pub struct PreviewSource {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for PreviewSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewSource").finish_non_exhaustive()
    }
}

/// The decoding side of a [`PreviewSource`]: runs until the clip is decoded (resident mode)
/// or the source is dropped (seeking mode serves requests until then).
pub struct PreviewDecode {
    path: PathBuf,
    options: PreviewOptions,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for PreviewDecode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewDecode")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl PreviewDecode {
    /// Decodes on the calling thread; failures become [`PreviewStatus::Failed`].
    pub fn run(self) {
        let result = run(&self.path, self.options, &self.shared);
        if let Err(e) = result {
            self.shared.lock().status = Some(PreviewStatus::Failed(e));
        }
        (self.shared.notify)();
    }
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
    stop: AtomicBool,
    notify: Box<dyn Fn() + Send + Sync>,
}

#[derive(Default)]
struct State {
    status: Option<PreviewStatus>,
    layout: Option<PreviewLayout>,
    /// Presentation time of each displayed frame known so far.
    times: Vec<f64>,
    /// Resident mode: every frame decoded so far, by index.
    resident: Vec<Arc<PreviewFrame>>,
    /// Seeking mode: recently decoded frames, least recently used first.
    cache: VecDeque<Arc<PreviewFrame>>,
    /// Seeking mode: the frame the viewer asked for last.
    wanted: Option<usize>,
}

impl Shared {
    fn new(notify: impl Fn() + Send + Sync + 'static) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State {
                status: Some(PreviewStatus::Opening),
                ..State::default()
            }),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            notify: Box::new(notify),
        })
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic on the preview thread must not take the viewer down with it.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

impl PreviewSource {
    /// Starts previewing `path` on a new thread. `notify` is called whenever new frames or a
    /// new status can be shown.
    ///
    /// # Errors
    /// Only if the thread cannot start; problems with the file arrive as
    /// [`PreviewStatus::Failed`].
    pub fn open(
        path: &Path,
        options: PreviewOptions,
        notify: impl Fn() + Send + Sync + 'static,
    ) -> Result<Self, VideoError> {
        let (mut source, decode) = Self::create(path, options, notify);
        let thread = std::thread::Builder::new()
            .name("hangtime-preview".into())
            .spawn(move || decode.run())
            .map_err(|e| VideoError::Decode {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })?;
        source.thread = Some(thread);
        Ok(source)
    }

    /// A preview of `path` whose decoding the caller runs, on a thread of its own choosing,
    /// with [`PreviewDecode::run`] (the app runs it on its task runner). Dropping the source
    /// stops the decoding within a frame.
    pub fn create(
        path: &Path,
        options: PreviewOptions,
        notify: impl Fn() + Send + Sync + 'static,
    ) -> (Self, PreviewDecode) {
        let shared = Shared::new(notify);
        let decode = PreviewDecode {
            path: path.to_path_buf(),
            options,
            shared: Arc::clone(&shared),
        };
        (
            Self {
                shared,
                thread: None,
            },
            decode,
        )
    }

    /// What the preview thread is doing now.
    pub fn status(&self) -> PreviewStatus {
        self.shared
            .lock()
            .status
            .clone()
            .unwrap_or(PreviewStatus::Opening)
    }

    /// Sizes and mode, once the clip is open.
    pub fn layout(&self) -> Option<PreviewLayout> {
        self.shared.lock().layout.clone()
    }

    /// How many displayed frames are known so far (without copying their times).
    pub fn frame_count(&self) -> usize {
        self.shared.lock().times.len()
    }

    /// Presentation times of the displayed frames known so far (all of them once ready).
    pub fn times(&self) -> Vec<f64> {
        self.shared.lock().times.clone()
    }

    /// The frame `index` if it is decoded; in seeking mode this also asks for it, so it
    /// arrives shortly (poll again after `notify`).
    pub fn frame(&self, index: usize) -> Option<Arc<PreviewFrame>> {
        let mut state = self.shared.lock();
        if let Some(f) = state.resident.get(index) {
            return Some(Arc::clone(f));
        }
        if let Some(pos) = state.cache.iter().position(|f| f.index == index) {
            let f = state.cache.remove(pos)?;
            state.cache.push_back(Arc::clone(&f));
            return Some(f);
        }
        if matches!(
            state.layout.as_ref().map(|l| l.mode),
            Some(PreviewMode::Seeking)
        ) {
            state.wanted = Some(index);
            self.shared.wake.notify_all();
        }
        None
    }

    /// The decoded frame closest to `index` from below (or the first one), to show while
    /// the exact frame is still being decoded.
    pub fn nearest(&self, index: usize) -> Option<Arc<PreviewFrame>> {
        let state = self.shared.lock();
        if let Some(last) = state
            .resident
            .get(index.min(state.resident.len().saturating_sub(1)))
        {
            return Some(Arc::clone(last));
        }
        state
            .cache
            .iter()
            .filter(|f| f.index <= index)
            .max_by_key(|f| f.index)
            .or_else(|| state.cache.iter().min_by_key(|f| f.index))
            .cloned()
    }
}

impl Drop for PreviewSource {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            // The thread checks the stop flag between frames, so this returns quickly.
            thread.join().ok();
        }
    }
}

/// Preview size for a displayed size: the long side at most `max_side`, never enlarged.
pub fn preview_size(width: u32, height: u32, max_side: u32) -> (usize, usize) {
    let long = width.max(height).max(1);
    let scale = (f64::from(max_side.max(1)) / f64::from(long)).min(1.0);
    let w = (f64::from(width) * scale).round().max(1.0) as usize;
    let h = (f64::from(height) * scale).round().max(1.0) as usize;
    (w, h)
}

/// Resident when the whole clip fits the memory budget, at full preview size or, for a longer
/// clip, at a smaller size down to [`MIN_RESIDENT_SIDE`] (any frame then shows at once, which
/// phone clips with keyframes 5–10 s apart cannot offer when seeking); else seeking at full
/// preview size.
fn choose_layout(info: &VideoInfo, options: PreviewOptions) -> (PreviewMode, (usize, usize)) {
    let full = preview_size(info.width, info.height, options.max_side);
    let mut side = options.max_side;
    loop {
        let (w, h) = preview_size(info.width, info.height, side);
        if info.frames.saturating_mul(w * h * 4) <= options.budget_bytes {
            return (PreviewMode::Resident, (w, h));
        }
        if side <= MIN_RESIDENT_SIDE {
            return (PreviewMode::Seeking, full);
        }
        side = (side * 7 / 8).max(MIN_RESIDENT_SIDE);
    }
}

/// Map from preview pixels to displayed pixels, pixel centres aligned.
fn preview_map(info: &VideoInfo, width: usize, height: usize) -> Affine {
    let sx = info.width as f32 / width.max(1) as f32;
    let sy = info.height as f32 / height.max(1) as f32;
    // Uniform scale up to rounding: the aspect ratio is kept when sizing.
    let s = f32::midpoint(sx, sy);
    let offset = 0.5 * s - 0.5;
    Affine::scale_translate(s, offset, offset)
}

/// Turns decoded frames into upright RGBA preview pictures with FFmpeg's scaler (SIMD,
/// several times faster than sampling each pixel: previews are made for every frame of a
/// clip, beside the tracker), then turns the picture upright.
struct PreviewScaler {
    width: usize,
    height: usize,
    /// Made for the first frame's format and size; remade if they change.
    context: Option<(software::scaling::Context, (format::Pixel, u32, u32))>,
    scaled: frame::Video,
}

impl PreviewScaler {
    fn new(width: usize, height: usize) -> Self {
        Self {
            width,
            height,
            context: None,
            scaled: frame::Video::empty(),
        }
    }

    /// The upright picture of `frame`, or the per-pixel sampler's when FFmpeg's scaler refuses.
    fn picture(&mut self, frame: &Frame, map: &Affine) -> PreviewFrame {
        self.scaled_picture(frame)
            .unwrap_or_else(|| sample(frame, map, self.width, self.height))
    }

    fn scaled_picture(&mut self, frame: &Frame) -> Option<PreviewFrame> {
        let quarter = matches!(frame.rotation, Rotation::Cw90 | Rotation::Cw270);
        // The scaler works in the stored orientation.
        let (cw, ch) = if quarter {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        };
        let source = (
            frame.picture.format(),
            frame.picture.width(),
            frame.picture.height(),
        );
        if self.context.as_ref().is_none_or(|(_, s)| *s != source) {
            let context = software::scaling::Context::get(
                source.0,
                source.1,
                source.2,
                format::Pixel::RGBA,
                u32::try_from(cw).ok()?,
                u32::try_from(ch).ok()?,
                software::scaling::Flags::FAST_BILINEAR,
            )
            .ok()?;
            self.context = Some((context, source));
        }
        let (context, _) = self.context.as_mut()?;
        context.run(&frame.picture, &mut self.scaled).ok()?;
        let stride = self.scaled.stride(0);
        let data = self.scaled.data(0);
        let (w, h) = (self.width, self.height);
        let mut rgba = vec![0u8; w * h * 4];
        match frame.rotation {
            Rotation::None => {
                for (row, out) in rgba.chunks_exact_mut(w * 4).enumerate() {
                    out.copy_from_slice(data.get(row * stride..row * stride + w * 4)?);
                }
            }
            rotation => {
                for v in 0..h {
                    for u in 0..w {
                        // The stored pixel shown at (u, v).
                        let (x, y) = match rotation {
                            Rotation::Cw90 => (v, ch - 1 - u),
                            Rotation::Cw180 => (cw - 1 - u, ch - 1 - v),
                            _ => (cw - 1 - v, u),
                        };
                        let from = y * stride + x * 4;
                        let to = (v * w + u) * 4;
                        rgba.get_mut(to..to + 4)?
                            .copy_from_slice(data.get(from..from + 4)?);
                    }
                }
            }
        }
        Some(PreviewFrame {
            index: frame.index,
            time_s: frame.time_s,
            width: w,
            height: h,
            rgba,
        })
    }
}

fn sample(frame: &Frame, map: &Affine, width: usize, height: usize) -> PreviewFrame {
    let mut rgba = vec![0u8; width * height * 4];
    frame.image().sample_rgba(map, width, height, &mut rgba);
    PreviewFrame {
        index: frame.index,
        time_s: frame.time_s,
        width,
        height,
        rgba,
    }
}

fn run(path: &Path, options: PreviewOptions, shared: &Shared) -> Result<(), VideoError> {
    let (info, pts) = probe_with_pts(path)?;
    let (mode, (width, height)) = choose_layout(&info, options);
    let map = preview_map(&info, width, height);
    let total = info.frames;
    set_layout(shared, info, mode, (width, height));
    match mode {
        PreviewMode::Resident => run_resident(path, &map, (width, height), total, shared),
        PreviewMode::Seeking => run_seeking(path, pts, &map, (width, height), shared),
    }
}

fn set_layout(
    shared: &Shared,
    info: VideoInfo,
    mode: PreviewMode,
    (width, height): (usize, usize),
) {
    let total = info.frames;
    {
        let mut state = shared.lock();
        state.layout = Some(PreviewLayout {
            info,
            width,
            height,
            mode,
        });
        state.status = Some(PreviewStatus::Decoding { done: 0, total });
    }
    (shared.notify)();
}

/// Keeps one more resident frame; wakes the viewer at most every [`NOTIFY_INTERVAL`].
fn keep_resident(
    shared: &Shared,
    picture: PreviewFrame,
    total: usize,
    last_notify: &mut Option<Instant>,
) {
    {
        let mut state = shared.lock();
        state.times.push(picture.time_s);
        state.resident.push(Arc::new(picture));
        let done = state.resident.len();
        state.status = Some(PreviewStatus::Decoding {
            done,
            total: total.max(done),
        });
    }
    if last_notify.is_none_or(|t| t.elapsed() >= NOTIFY_INTERVAL) {
        *last_notify = Some(Instant::now());
        (shared.notify)();
    }
}

fn run_resident(
    path: &Path,
    map: &Affine,
    (width, height): (usize, usize),
    total: usize,
    shared: &Shared,
) -> Result<(), VideoError> {
    let mut decoder = VideoDecoder::open(path, DecodeOptions::default())?;
    let mut last_notify: Option<Instant> = None;
    let mut scaler = PreviewScaler::new(width, height);
    while let Some(frame) = decoder.next_frame()? {
        if shared.stopped() {
            return Ok(());
        }
        keep_resident(shared, scaler.picture(&frame, map), total, &mut last_notify);
    }
    let mut state = shared.lock();
    if state.resident.is_empty() {
        return Err(VideoError::NoFrames(path.to_path_buf()));
    }
    state.status = Some(PreviewStatus::Ready);
    Ok(())
}

/// Preview frames from someone else's decoder: the app hands on the frames its analysis
/// decodes, so a clip is decoded once. Only for clips held resident; a longer one is refused
/// at [`PreviewFeed::start`] and previewed by decoding it separately.
pub struct PreviewFeed {
    shared: Arc<Shared>,
    options: PreviewOptions,
}

impl std::fmt::Debug for PreviewFeed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewFeed").finish_non_exhaustive()
    }
}

/// A started feed, on the thread that samples the frames (FFmpeg's scaler stays there).
pub struct PreviewWriter {
    shared: Arc<Shared>,
    map: Affine,
    scaler: PreviewScaler,
    total: usize,
    last_notify: Option<Instant>,
}

impl PreviewSource {
    /// A preview whose frames are pushed through the returned feed.
    pub fn fed(
        options: PreviewOptions,
        notify: impl Fn() + Send + Sync + 'static,
    ) -> (Self, PreviewFeed) {
        let shared = Shared::new(notify);
        let feed = PreviewFeed {
            shared: Arc::clone(&shared),
            options,
        };
        (
            Self {
                shared,
                thread: None,
            },
            feed,
        )
    }
}

impl PreviewFeed {
    /// The clip's facts; `None` when the clip would not be held resident.
    pub fn start(self, info: &VideoInfo) -> Option<PreviewWriter> {
        let (mode, (width, height)) = choose_layout(info, self.options);
        if mode != PreviewMode::Resident {
            return None;
        }
        let map = preview_map(info, width, height);
        set_layout(&self.shared, info.clone(), mode, (width, height));
        Some(PreviewWriter {
            shared: self.shared,
            map,
            scaler: PreviewScaler::new(width, height),
            total: info.frames,
            last_notify: None,
        })
    }
}

impl PreviewWriter {
    /// The next decoded frame; `false` once nobody shows this preview any more.
    pub fn push(&mut self, frame: &Frame) -> bool {
        if self.shared.stopped() {
            return false;
        }
        let picture = self.scaler.picture(frame, &self.map);
        keep_resident(&self.shared, picture, self.total, &mut self.last_notify);
        true
    }

    /// Every frame was pushed: the preview is complete.
    pub fn finish(self) {
        let mut state = self.shared.lock();
        if !state.resident.is_empty() {
            state.status = Some(PreviewStatus::Ready);
        }
        drop(state);
        (self.shared.notify)();
    }
}

fn run_seeking(
    path: &Path,
    pts: Vec<i64>,
    map: &Affine,
    size: (usize, usize),
    shared: &Shared,
) -> Result<(), VideoError> {
    let mut decoder = SeekingDecoder::open(path, pts)?;
    {
        let mut state = shared.lock();
        state.times.clone_from(&decoder.times);
        state.status = Some(PreviewStatus::Ready);
        // Show the first frame straight away.
        state.wanted.get_or_insert(0);
    }
    (shared.notify)();
    let mut served: Option<usize> = None;
    loop {
        let target = {
            let mut state = shared.lock();
            loop {
                if shared.stopped() {
                    return Ok(());
                }
                match state.wanted {
                    Some(w) if Some(w) != served => break w,
                    _ => {
                        state = match shared.wake.wait_timeout(state, Duration::from_millis(200)) {
                            Ok((guard, _)) => guard,
                            Err(poisoned) => poisoned.into_inner().0,
                        };
                    }
                }
            }
        };
        served = Some(target);
        serve(&mut decoder, target, map, size, shared)?;
    }
}

/// Decodes `target` (unless cached) and then prefetches the frames after it, giving way as
/// soon as the viewer wants another frame.
fn serve(
    decoder: &mut SeekingDecoder,
    target: usize,
    map: &Affine,
    (width, height): (usize, usize),
    shared: &Shared,
) -> Result<(), VideoError> {
    let last = decoder.times.len().saturating_sub(1);
    let target = target.min(last);
    for wanted in target..=(target + PREFETCH_FRAMES).min(last) {
        if shared.stopped() {
            return Ok(());
        }
        {
            let state = shared.lock();
            if wanted != target && state.wanted != Some(target) {
                // The viewer moved on; serve the new request first.
                return Ok(());
            }
            if state.cache.iter().any(|f| f.index == wanted) {
                continue;
            }
        }
        let Some(frame) = decoder.decode_at(wanted)? else {
            return Ok(());
        };
        let picture = Arc::new(sample(&frame, map, width, height));
        {
            let mut state = shared.lock();
            state.cache.retain(|f| f.index != picture.index);
            state.cache.push_back(picture);
            while state.cache.len() > SEEK_CACHE_FRAMES {
                state.cache.pop_front();
            }
        }
        if wanted == target {
            (shared.notify)();
        }
    }
    Ok(())
}

/// A decoder that can jump to any displayed frame: keyframe seek, then decode forward.
struct SeekingDecoder {
    path: PathBuf,
    input: format::context::Input,
    stream_index: usize,
    decoder: ffmpeg_next::decoder::Video,
    time_base: Rational,
    rotation: Rotation,
    /// Sorted presentation timestamps of the displayed frames; a frame's index is its
    /// position here (the same numbering as the streaming decoder's).
    pts: Vec<i64>,
    times: Vec<f64>,
    normaliser: PixelNormaliser,
    /// Index of the next frame the decoder will deliver, when known.
    position: Option<usize>,
    flushed: bool,
    corrupt: usize,
}

impl SeekingDecoder {
    /// Opens `path`, whose displayed frames `probe` numbered by the sorted timestamps `pts`
    /// (the same numbering as the streaming decoder's).
    fn open(path: &Path, pts: Vec<i64>) -> Result<Self, VideoError> {
        // Scrubbing happens once the analysis is done, so both cores can decode: reaching a
        // frame far from its keyframe takes half as long.
        let OpenedVideo {
            input,
            stream_index,
            time_base,
            rotation,
            decoder,
        } = OpenedVideo::open(path, 2)?;
        let Some(&first) = pts.first() else {
            return Err(VideoError::NoFrames(path.to_path_buf()));
        };
        let tb = f64::from(time_base);
        let times = pts.iter().map(|&p| (p - first) as f64 * tb).collect();
        Ok(Self {
            path: path.to_path_buf(),
            input,
            stream_index,
            decoder,
            time_base,
            rotation,
            pts,
            times,
            normaliser: PixelNormaliser::default(),
            position: None,
            flushed: false,
            corrupt: 0,
        })
    }

    /// The displayed frame `index`, or the first one after it when it cannot be decoded.
    fn decode_at(&mut self, index: usize) -> Result<Option<Frame>, VideoError> {
        let ahead = self
            .position
            .filter(|&p| p <= index && index - p <= FORWARD_DECODE_LIMIT);
        if ahead.is_none() {
            self.seek(index)?;
        }
        while let Some((found, picture)) = self.next_picture()? {
            if found >= index {
                return self.make_frame(found, picture).map(Some);
            }
        }
        Ok(None)
    }

    fn seek(&mut self, index: usize) -> Result<(), VideoError> {
        let Some(&pts) = self.pts.get(index) else {
            return Ok(());
        };
        // Without a stream index FFmpeg takes the timestamp in microseconds; the range
        // `..ts` (FFmpeg reads it as the largest allowed timestamp) makes it land on the keyframe
        // at or before the frame.
        let micros = (pts as f64 * f64::from(self.time_base) * 1e6).floor() as i64;
        self.input
            .seek(micros, ..micros)
            .map_err(|e| VideoError::Decode {
                path: self.path.clone(),
                reason: e.to_string(),
            })?;
        self.decoder.flush();
        self.flushed = false;
        self.position = None;
        Ok(())
    }

    /// The next decoded picture with its displayed index (pictures the edit list hides are
    /// skipped).
    fn next_picture(&mut self) -> Result<Option<(usize, frame::Video)>, VideoError> {
        let mut picture = frame::Video::empty();
        loop {
            match self.decoder.receive_frame(&mut picture) {
                Ok(()) => {
                    let pts = picture.timestamp().or(picture.pts());
                    if let Some(index) = pts.and_then(|p| self.pts.binary_search(&p).ok()) {
                        self.position = Some(index + 1);
                        return Ok(Some((index, picture)));
                    }
                }
                Err(ffmpeg_next::Error::Eof) => {
                    self.position = None;
                    return Ok(None);
                }
                Err(ffmpeg_next::Error::Other { errno })
                    if errno == ffmpeg_next::util::error::EAGAIN => {}
                Err(e) => {
                    self.corrupt += 1;
                    if self.corrupt > MAX_CORRUPT {
                        return Err(VideoError::Decode {
                            path: self.path.clone(),
                            reason: e.to_string(),
                        });
                    }
                }
            }
            if self.flushed {
                // Drained after the end of the file.
                self.position = None;
                return Ok(None);
            }
            self.feed();
        }
    }

    fn feed(&mut self) {
        let mut packet = codec::packet::Packet::empty();
        loop {
            match packet.read(&mut self.input) {
                Ok(()) if packet.stream() == self.stream_index => {
                    if self.decoder.send_packet(&packet).is_err() {
                        self.corrupt += 1;
                    }
                    return;
                }
                Ok(()) => {}
                Err(ffmpeg_next::Error::InvalidData) => self.corrupt += 1,
                Err(_) => break,
            }
        }
        // The end: let the decoder hand out the pictures it still holds.
        self.decoder.send_eof().ok();
        self.flushed = true;
    }

    fn make_frame(&mut self, index: usize, picture: frame::Video) -> Result<Frame, VideoError> {
        let time_s = self.times.get(index).copied().unwrap_or(0.0);
        self.normaliser
            .frame(picture, index, time_s, self.rotation, &self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_longer_clip_stays_resident_at_a_smaller_size_until_the_floor() {
        let info = |frames: usize| VideoInfo {
            path: PathBuf::new(),
            coded_width: 720,
            coded_height: 1280,
            width: 720,
            height: 1280,
            rotation: Rotation::None,
            codec: "h264".to_owned(),
            frames,
            coded_frames: frames,
            nominal_fps: 30.0,
            measured_fps: 30.0,
            duration_s: frames as f64 / 30.0,
            vfr: false,
            declared_duration_s: None,
        };
        let options = PreviewOptions::default();
        // 405x720 RGBA is 1.17 MB: 300 frames fit 600 MB at full size.
        assert_eq!(
            choose_layout(&info(300), options),
            (PreviewMode::Resident, (405, 720))
        );
        // 565 frames do not, but fit at a smaller size.
        let (mode, (w, h)) = choose_layout(&info(565), options);
        assert_eq!(mode, PreviewMode::Resident);
        assert!(
            h < 720 && h >= MIN_RESIDENT_SIDE as usize && 565 * w * h * 4 <= options.budget_bytes
        );
        // Ten minutes never fit: seeking at full size.
        assert_eq!(
            choose_layout(&info(18_000), options),
            (PreviewMode::Seeking, (405, 720))
        );
    }

    #[test]
    fn preview_keeps_aspect_and_never_enlarges() {
        assert_eq!(preview_size(1280, 720, 720), (720, 405));
        assert_eq!(preview_size(720, 1280, 720), (405, 720));
        assert_eq!(preview_size(320, 240, 720), (320, 240));
        assert_eq!(preview_size(0, 0, 720), (1, 1));
    }
}
