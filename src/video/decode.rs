//! Streaming decode of displayed frames with their real timestamps.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ffmpeg_next::{Dictionary, Rational, codec, format, frame};

use super::VideoError;
use super::frame::{Frame, Rotation};
use super::normalise::PixelNormaliser;
use super::probe::{open_input, stream_rotation, video_stream_index};

/// Decoder settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecodeOptions {
    /// Decoder threads (1 leaves the other core to inference).
    pub threads: usize,
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self { threads: 1 }
    }
}

/// How a decode ended: problems that did not stop it are reported here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecodeReport {
    /// Displayed frames delivered.
    pub frames: usize,
    /// Packets the decoder rejected as corrupt.
    pub corrupt_packets: usize,
    /// The file ended early or became unreadable; frames before that were delivered.
    pub truncated: bool,
    /// Time spent demuxing and decoding, pixel conversion excluded.
    pub decode_time: Duration,
    /// Time spent converting other pixel formats (10-bit, 4:2:2, …) to 8-bit 4:2:0.
    pub convert_time: Duration,
}

/// Decodes displayed frames one by one, in presentation order.
pub struct VideoDecoder {
    path: PathBuf,
    input: format::context::Input,
    stream_index: usize,
    decoder: ffmpeg_next::decoder::Video,
    time_base: Rational,
    rotation: Rotation,
    normaliser: PixelNormaliser,
    first_pts: Option<i64>,
    next_index: usize,
    flushed: bool,
    finished: bool,
    report: DecodeReport,
}

impl VideoDecoder {
    /// Opens `path` for decoding.
    ///
    /// # Errors
    /// A [`VideoError`] naming what is wrong with the file.
    pub fn open(path: &Path, options: DecodeOptions) -> Result<Self, VideoError> {
        let OpenedVideo {
            input,
            stream_index,
            time_base,
            rotation,
            decoder,
        } = OpenedVideo::open(path, options.threads)?;
        Ok(Self {
            path: path.to_path_buf(),
            input,
            stream_index,
            decoder,
            time_base,
            rotation,
            normaliser: PixelNormaliser::default(),
            first_pts: None,
            next_index: 0,
            flushed: false,
            finished: false,
            report: DecodeReport::default(),
        })
    }

    /// What happened so far.
    pub fn report(&self) -> &DecodeReport {
        &self.report
    }

    /// Display rotation of the stream.
    pub fn rotation(&self) -> Rotation {
        self.rotation
    }

    /// The next displayed frame, `Ok(None)` at the end.
    ///
    /// # Errors
    /// Only when the decoder fails before delivering any frame; later damage ends the
    /// stream early and is recorded in [`Self::report`].
    pub fn next_frame(&mut self) -> Result<Option<Frame>, VideoError> {
        let started = Instant::now();
        let converting_before = self.report.convert_time;
        let result = self.next_frame_inner();
        // Conversion happens inside and is reported on its own: count it once.
        let converting = self.report.convert_time.saturating_sub(converting_before);
        self.report.decode_time += started.elapsed().saturating_sub(converting);
        result
    }

    fn next_frame_inner(&mut self) -> Result<Option<Frame>, VideoError> {
        let mut picture = frame::Video::empty();
        loop {
            if self.finished {
                return Ok(None);
            }
            match self.decoder.receive_frame(&mut picture) {
                Ok(()) => return self.deliver(picture).map(Some),
                Err(ffmpeg_next::Error::Eof) => {
                    self.finished = true;
                    return Ok(None);
                }
                Err(ffmpeg_next::Error::Other { errno })
                    if errno == ffmpeg_next::util::error::EAGAIN => {}
                Err(e) => {
                    self.report.corrupt_packets += 1;
                    if self.report.corrupt_packets > 1000 {
                        return self.fail(&e.to_string());
                    }
                }
            }
            self.feed();
        }
    }

    /// Sends the next packet of our stream to the decoder (or flushes at the end).
    fn feed(&mut self) {
        if self.flushed {
            // Draining after flush: receive_frame reports Eof when done.
            return;
        }
        loop {
            // A fresh packet each time: av_read_frame overwrites without releasing the old data.
            let mut packet = codec::packet::Packet::empty();
            match packet.read(&mut self.input) {
                Ok(()) => {
                    if packet.stream() != self.stream_index {
                        continue;
                    }
                    if self.decoder.send_packet(&packet).is_err() {
                        self.report.corrupt_packets += 1;
                    }
                    // Edit-list hidden packets are decoded too (they are references); the
                    // decoder drops their pictures itself.
                    return;
                }
                Err(ffmpeg_next::Error::Eof) => break,
                Err(ffmpeg_next::Error::InvalidData) => {
                    self.report.corrupt_packets += 1;
                }
                Err(_) => {
                    self.report.truncated = true;
                    break;
                }
            }
        }
        self.flushed = true;
        self.decoder.send_eof().ok();
    }

    fn fail(&mut self, reason: &str) -> Result<Option<Frame>, VideoError> {
        self.finished = true;
        if self.next_index == 0 {
            Err(VideoError::Decode {
                path: self.path.clone(),
                reason: reason.to_owned(),
            })
        } else {
            self.report.truncated = true;
            Ok(None)
        }
    }

    fn deliver(&mut self, picture: frame::Video) -> Result<Frame, VideoError> {
        let pts = picture.timestamp().or(picture.pts()).unwrap_or(0);
        let first = *self.first_pts.get_or_insert(pts);
        let time_s = (pts - first) as f64 * f64::from(self.time_base);
        let started = Instant::now();
        let frame =
            self.normaliser
                .frame(picture, self.next_index, time_s, self.rotation, &self.path)?;
        self.report.convert_time += started.elapsed();
        self.next_index += 1;
        self.report.frames = self.next_index;
        Ok(frame)
    }
}

impl Iterator for VideoDecoder {
    type Item = Result<Frame, VideoError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_frame().transpose()
    }
}

/// A video file opened for decoding: its demuxer, video stream and decoder.
pub(super) struct OpenedVideo {
    pub(super) input: format::context::Input,
    pub(super) stream_index: usize,
    pub(super) time_base: Rational,
    pub(super) rotation: Rotation,
    pub(super) decoder: ffmpeg_next::decoder::Video,
}

impl OpenedVideo {
    /// Opens `path` and the decoder of its video stream with `threads` decoding threads.
    pub(super) fn open(path: &Path, threads: usize) -> Result<Self, VideoError> {
        let input = open_input(path)?;
        let stream_index = video_stream_index(&input, path)?;
        let stream = input
            .stream(stream_index)
            .ok_or_else(|| VideoError::NoVideoStream(path.to_path_buf()))?;
        let ctx = codec::Context::from_parameters(stream.parameters()).map_err(|e| {
            VideoError::Decode {
                path: path.to_path_buf(),
                reason: e.to_string(),
            }
        })?;
        let codec_id = ctx.id();
        let unsupported = || VideoError::UnsupportedCodec {
            codec: format!("{codec_id:?}").to_lowercase(),
            path: path.to_path_buf(),
        };
        let mut dict = Dictionary::new();
        dict.set("threads", &threads.max(1).to_string());
        let codec = ffmpeg_next::decoder::find(codec_id).ok_or_else(unsupported)?;
        let decoder = ctx
            .decoder()
            .open_as_with(codec, dict)
            .map_err(|_| unsupported())?
            .video()
            .map_err(|_| unsupported())?;
        let (time_base, rotation) = (stream.time_base(), stream_rotation(&stream));
        Ok(Self {
            input,
            stream_index,
            time_base,
            rotation,
            decoder,
        })
    }
}

/// A decoder running on its own thread, feeding a bounded channel (back-pressure keeps
/// memory flat however long the clip is).
pub struct DecoderThread {
    /// Decoded frames in order; an `Err` is the last item.
    pub frames: Receiver<Result<Frame, VideoError>>,
    handle: JoinHandle<DecodeReport>,
    stop: Arc<AtomicBool>,
}

impl DecoderThread {
    /// Asks the decoder to stop early (cancellation).
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    /// Waits for the thread and returns its report.
    pub fn finish(self) -> DecodeReport {
        self.stop();
        drop(self.frames);
        self.handle.join().unwrap_or_default()
    }
}

/// Starts decoding `path` on a new thread, `capacity` frames ahead of the consumer.
///
/// # Errors
/// Only if the thread cannot start; opening and decoding errors arrive through the channel
/// (FFmpeg's scaler state cannot move between threads, so the decoder opens on its own).
pub fn spawn_decoder(
    path: &Path,
    options: DecodeOptions,
    capacity: usize,
) -> Result<DecoderThread, VideoError> {
    let (tx, rx) = sync_channel(capacity.max(1));
    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = Arc::clone(&stop);
    let owned_path = path.to_path_buf();
    let handle = std::thread::Builder::new()
        .name("hangtime-decode".into())
        .spawn(move || match VideoDecoder::open(&owned_path, options) {
            Ok(mut decoder) => run_decoder(&mut decoder, &tx, &stop_flag),
            Err(e) => {
                tx.send(Err(e)).ok();
                DecodeReport::default()
            }
        })
        .map_err(|e| VideoError::Decode {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    Ok(DecoderThread {
        frames: rx,
        handle,
        stop,
    })
}

fn run_decoder(
    decoder: &mut VideoDecoder,
    tx: &SyncSender<Result<Frame, VideoError>>,
    stop: &AtomicBool,
) -> DecodeReport {
    while !stop.load(Ordering::Relaxed) {
        match decoder.next_frame() {
            Ok(Some(frame)) => {
                if tx.send(Ok(frame)).is_err() {
                    break;
                }
            }
            Ok(None) => break,
            Err(e) => {
                tx.send(Err(e)).ok();
                break;
            }
        }
    }
    decoder.report().clone()
}
