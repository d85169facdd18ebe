//! Decoded frames and the one sampler every consumer uses: an affine map from output pixels
//! to displayed-image pixels, with the clip's rotation folded in, bilinear YUV→RGB.

use ffmpeg_next::frame;

/// Clockwise rotation that turns the coded picture upright for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Rotation {
    /// Stored upright.
    #[default]
    None,
    /// Rotate 90° clockwise for display (phone portrait clips).
    Cw90,
    /// Upside down.
    Cw180,
    /// Rotate 270° clockwise (90° counter-clockwise) for display.
    Cw270,
}

impl Rotation {
    /// From a clockwise angle in degrees, rounded to the nearest quarter turn.
    pub fn from_degrees_cw(deg: f64) -> Self {
        if !deg.is_finite() {
            return Self::None;
        }
        match ((deg / 90.0).round() as i64).rem_euclid(4) {
            1 => Self::Cw90,
            2 => Self::Cw180,
            3 => Self::Cw270,
            _ => Self::None,
        }
    }

    /// Clockwise degrees: 0, 90, 180 or 270.
    pub fn degrees_cw(self) -> u32 {
        match self {
            Self::None => 0,
            Self::Cw90 => 90,
            Self::Cw180 => 180,
            Self::Cw270 => 270,
        }
    }

    /// Displayed size for a coded size.
    pub fn displayed_size(self, coded_w: u32, coded_h: u32) -> (u32, u32) {
        match self {
            Self::Cw90 | Self::Cw270 => (coded_h, coded_w),
            Self::None | Self::Cw180 => (coded_w, coded_h),
        }
    }

    /// Affine map from displayed pixel coordinates to coded pixel coordinates
    /// (pixel centres at integers).
    fn displayed_to_coded(self, coded_w: f32, coded_h: f32) -> Affine {
        let (w1, h1) = (coded_w - 1.0, coded_h - 1.0);
        match self {
            Self::None => Affine::IDENTITY,
            Self::Cw90 => Affine::new([0.0, 1.0, 0.0], [-1.0, 0.0, h1]),
            Self::Cw180 => Affine::new([-1.0, 0.0, w1], [0.0, -1.0, h1]),
            Self::Cw270 => Affine::new([0.0, -1.0, w1], [1.0, 0.0, 0.0]),
        }
    }
}

/// YUV→RGB matrix of the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColourMatrix {
    /// ITU-R BT.601, limited range (the default for unflagged SD video).
    #[default]
    Bt601Limited,
    /// ITU-R BT.709, limited range (HD phone video).
    Bt709Limited,
    /// BT.601 full range (JPEG-style `yuvj` streams).
    Bt601Full,
    /// BT.709 full range.
    Bt709Full,
}

impl ColourMatrix {
    /// Coefficients `(y_scale, y_offset, rv, gu, gv, bu)`.
    fn coefficients(self) -> [f32; 6] {
        const LIMITED: f32 = 255.0 / 219.0;
        const CHROMA: f32 = 255.0 / 224.0;
        let (kr, kb, limited) = match self {
            Self::Bt601Limited => (0.299, 0.114, true),
            Self::Bt709Limited => (0.2126, 0.0722, true),
            Self::Bt601Full => (0.299, 0.114, false),
            Self::Bt709Full => (0.2126, 0.0722, false),
        };
        let kg = 1.0 - kr - kb;
        let c = if limited { CHROMA } else { 1.0 };
        let rv = 2.0 * (1.0 - kr) * c;
        let bu = 2.0 * (1.0 - kb) * c;
        let gu = -bu * kb / kg;
        let gv = -rv * kr / kg;
        if limited {
            [LIMITED, 16.0, rv, gu, gv, bu]
        } else {
            [1.0, 0.0, rv, gu, gv, bu]
        }
    }
}

/// A 2×3 affine map `(u, v) ↦ (x, y)`: `x = a·u + b·v + c`, `y = d·u + e·v + f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Affine {
    /// `[a, b, c]`.
    pub x: [f32; 3],
    /// `[d, e, f]`.
    pub y: [f32; 3],
}

impl Affine {
    /// The identity map.
    pub const IDENTITY: Self = Self {
        x: [1.0, 0.0, 0.0],
        y: [0.0, 1.0, 0.0],
    };

    /// From its two rows.
    pub const fn new(x: [f32; 3], y: [f32; 3]) -> Self {
        Self { x, y }
    }

    /// Uniform scale `s` then translation `(tx, ty)`.
    #[must_use]
    pub const fn scale_translate(s: f32, tx: f32, ty: f32) -> Self {
        Self::new([s, 0.0, tx], [0.0, s, ty])
    }

    /// Applies the map to a point.
    pub fn apply(&self, u: f32, v: f32) -> (f32, f32) {
        (
            self.x[0] * u + self.x[1] * v + self.x[2],
            self.y[0] * u + self.y[1] * v + self.y[2],
        )
    }

    /// `self ∘ inner`: first `inner`, then `self`.
    #[must_use]
    pub fn compose(&self, inner: &Self) -> Self {
        let row = |r: &[f32; 3]| {
            [
                r[0] * inner.x[0] + r[1] * inner.y[0],
                r[0] * inner.x[1] + r[1] * inner.y[1],
                r[0] * inner.x[2] + r[1] * inner.y[2] + r[2],
            ]
        };
        Self::new(row(&self.x), row(&self.y))
    }
}

/// What a sample outside the picture reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Border {
    /// Black (the detector's letterbox).
    Black,
    /// The nearest edge pixel (the landmark crop).
    Replicate,
}

/// How RGB values are scaled into the tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalise {
    /// `v / 127.5 − 1` (detector).
    MinusOneToOne,
    /// `v / 255` (landmark model).
    ZeroToOne,
}

/// One 8-bit plane.
#[derive(Debug, Clone, Copy)]
pub struct Plane<'a> {
    /// Rows of `stride` bytes.
    pub data: &'a [u8],
    /// Bytes per row.
    pub stride: usize,
    /// Samples per row.
    pub width: usize,
    /// Rows.
    pub height: usize,
}

/// The four neighbours of a bilinear sample and its weights, clamped to the plane.
#[derive(Debug, Clone, Copy)]
struct Taps {
    top_left: usize,
    top_right: usize,
    bottom_left: usize,
    bottom_right: usize,
    fx: f32,
    fy: f32,
}

impl Plane<'_> {
    /// Bilinear value at `(x, y)` when all four neighbours lie inside the plane (the common
    /// case for a crop well inside the picture): no clamping, two row slices. `None` near the
    /// edges, where [`Self::taps`] clamps.
    #[inline]
    fn interior(&self, x: f32, y: f32) -> Option<f32> {
        // Truncation is the floor here (non-negative), and unlike `floor` it never becomes a
        // libm call on baseline x86-64.
        if !(x >= 0.0 && y >= 0.0) {
            return None;
        }
        let (x0, y0) = (x as usize, y as usize);
        let (xf, yf) = (x0 as f32, y0 as f32);
        if x0 + 1 >= self.width || y0 + 1 >= self.height {
            return None;
        }
        let top = y0 * self.stride + x0;
        let row0 = self.data.get(top..top + 2)?;
        let row1 = self.data.get(top + self.stride..top + self.stride + 2)?;
        let (fx, fy) = (x - xf, y - yf);
        let t = f32::from(row0[0]) + (f32::from(row0[1]) - f32::from(row0[0])) * fx;
        let b = f32::from(row1[0]) + (f32::from(row1[1]) - f32::from(row1[0])) * fx;
        Some(t + (b - t) * fy)
    }

    /// Bilinear value at `(x, y)`, coordinates clamped to the plane.
    #[inline]
    fn bilinear(&self, x: f32, y: f32) -> f32 {
        self.interior(x, y)
            .unwrap_or_else(|| self.sample(&self.taps(x, y)))
    }

    /// Neighbour offsets and weights for a sample at `(x, y)` (coordinates clamped).
    #[inline]
    fn taps(&self, x: f32, y: f32) -> Taps {
        let max_x = self.width.saturating_sub(1);
        let max_y = self.height.saturating_sub(1);
        let x = x.clamp(0.0, max_x as f32);
        let y = y.clamp(0.0, max_y as f32);
        let (x0, y0) = (x as usize, y as usize);
        let (x1, y1) = ((x0 + 1).min(max_x), (y0 + 1).min(max_y));
        let (r0, r1) = (y0 * self.stride, y1 * self.stride);
        Taps {
            top_left: r0 + x0,
            top_right: r0 + x1,
            bottom_left: r1 + x0,
            bottom_right: r1 + x1,
            fx: x - x0 as f32,
            fy: y - y0 as f32,
        }
    }

    /// Bilinear value at precomputed taps (0 outside the data, which clamping prevents).
    #[inline]
    fn sample(&self, t: &Taps) -> f32 {
        let at = |i: usize| f32::from(self.data.get(i).copied().unwrap_or(0));
        let top = at(t.top_left) + (at(t.top_right) - at(t.top_left)) * t.fx;
        let bottom = at(t.bottom_left) + (at(t.bottom_right) - at(t.bottom_left)) * t.fx;
        top + (bottom - top) * t.fy
    }
}

/// A borrowed 4:2:0 picture in coded orientation, plus how to show it.
#[derive(Debug, Clone, Copy)]
pub struct YuvImage<'a> {
    /// Luma, full size.
    pub y: Plane<'a>,
    /// Blue-difference chroma, half size.
    pub u: Plane<'a>,
    /// Red-difference chroma, half size.
    pub v: Plane<'a>,
    /// Display rotation.
    pub rotation: Rotation,
    /// Colour matrix.
    pub matrix: ColourMatrix,
}

impl YuvImage<'_> {
    /// Displayed (upright) width and height.
    pub fn displayed_size(&self) -> (u32, u32) {
        self.rotation
            .displayed_size(self.y.width as u32, self.y.height as u32)
    }

    /// The map from output pixels to coded-picture pixels: `map`, then the display rotation
    /// undone.
    fn coded_map(&self, map: &Affine) -> Affine {
        self.rotation
            .displayed_to_coded(self.y.width as f32, self.y.height as f32)
            .compose(map)
    }

    /// [`Self::rgb_at`] with the border rule: outside samples blend with black exactly as a
    /// zero-padded bilinear would, or repeat the edge.
    #[inline]
    fn bordered_rgb(&self, x: f32, y: f32, border: Border, coefficients: [f32; 6]) -> [f32; 3] {
        let alpha = match border {
            Border::Replicate => 1.0,
            Border::Black => coverage(x, self.y.width as f32) * coverage(y, self.y.height as f32),
        };
        if alpha <= 0.0 {
            [0.0; 3]
        } else {
            self.rgb_at(x, y, coefficients).map(|c| c * alpha)
        }
    }

    /// RGB (0..=255) at coded-picture point `(x, y)`, coordinates clamped to the picture.
    #[inline]
    fn rgb_at(&self, x: f32, y: f32, [ys, yo, rv, gu, gv, bu]: [f32; 6]) -> [f32; 3] {
        let luma = (self.y.bilinear(x, y) - yo) * ys;
        // 4:2:0 chroma is co-sited horizontally and centred vertically. (Sharing one chroma
        // sample between two pixels saves 15 % here but moved a real clip's jump height by
        // 3 cm: the landmark model is that sensitive.)
        let (cx, cy) = (x * 0.5, (y - 0.5) * 0.5);
        let cb = self.u.bilinear(cx, cy) - 128.0;
        let cr = self.v.bilinear(cx, cy) - 128.0;
        [
            (luma + rv * cr).clamp(0.0, 255.0),
            (luma + gu * cb + gv * cr).clamp(0.0, 255.0),
            (luma + bu * cb).clamp(0.0, 255.0),
        ]
    }

    /// Samples an `out_w × out_h` RGB picture whose pixel `(u, v)` shows the displayed-image
    /// point `map(u, v)`, calling `put(pixel_index, [r, g, b])` with values in 0..=255.
    fn sample(
        &self,
        map: &Affine,
        out_w: usize,
        out_h: usize,
        border: Border,
        mut put: impl FnMut(usize, [f32; 3]),
    ) {
        let to_coded = self.coded_map(map);
        let coefficients = self.matrix.coefficients();
        for row in 0..out_h {
            let v = row as f32;
            let mut x = to_coded.x[1] * v + to_coded.x[2];
            let mut y = to_coded.y[1] * v + to_coded.y[2];
            for col in 0..out_w {
                put(
                    row * out_w + col,
                    self.bordered_rgb(x, y, border, coefficients),
                );
                x += to_coded.x[0];
                y += to_coded.y[0];
            }
        }
    }

    /// Fills `out` (`out_w·out_h·3`, NHWC RGB) with normalised floats for a model input.
    pub fn sample_tensor(
        &self,
        map: &Affine,
        out_w: usize,
        out_h: usize,
        border: Border,
        norm: Normalise,
        out: &mut [f32],
    ) {
        let (scale, offset) = match norm {
            Normalise::MinusOneToOne => (1.0 / 127.5, -1.0),
            Normalise::ZeroToOne => (1.0 / 255.0, 0.0),
        };
        #[cfg(target_arch = "x86_64")]
        if self.sample_tensor_avx2(map, out_w, out_h, border, [scale, offset], out) {
            return;
        }
        self.sample(map, out_w, out_h, border, |i, rgb| {
            if let Some(px) = out.get_mut(i * 3..i * 3 + 3) {
                px.copy_from_slice(&normalised(rgb, scale, offset));
            }
        });
    }

    /// [`Self::sample_tensor`] on AVX2 (the landmark crop runs on every frame), eight pixels
    /// at a time with bit-identical values. `false`, having written nothing, when the CPU or
    /// the picture's layout does not allow it.
    #[cfg(target_arch = "x86_64")]
    fn sample_tensor_avx2(
        &self,
        map: &Affine,
        out_w: usize,
        out_h: usize,
        border: Border,
        [scale, offset]: [f32; 2],
        out: &mut [f32],
    ) -> bool {
        use super::sample_avx2::{self as simd, Conversion, GatherPlane, LANES};
        let planes = (
            GatherPlane::new(self.y),
            GatherPlane::new(self.u),
            GatherPlane::new(self.v),
        );
        let (Some(y_plane), Some(u_plane), Some(v_plane)) = planes else {
            return false;
        };
        if !simd::available() || out.len() < out_w * out_h * 3 {
            return false;
        }
        let to_coded = self.coded_map(map);
        let conversion = Conversion {
            coefficients: self.matrix.coefficients(),
            scale,
            offset,
            black_outside: (border == Border::Black)
                .then_some([self.y.width as f32, self.y.height as f32]),
        };
        let mut xs = [0.0f32; LANES];
        let mut ys = [0.0f32; LANES];
        let mut rgb = [0.0f32; 3 * LANES];
        for (row, out_row) in out.chunks_exact_mut(out_w * 3).take(out_h).enumerate() {
            let v = row as f32;
            // Stepped along the row exactly as the general sampler does.
            let mut x = to_coded.x[1] * v + to_coded.x[2];
            let mut y = to_coded.y[1] * v + to_coded.y[2];
            let mut pixels = out_row.chunks_exact_mut(3 * LANES);
            for chunk in &mut pixels {
                for (px, py) in xs.iter_mut().zip(ys.iter_mut()) {
                    (*px, *py) = (x, y);
                    x += to_coded.x[0];
                    y += to_coded.y[0];
                }
                // SAFETY: `available` confirmed AVX2 on this CPU.
                #[allow(unsafe_code, reason = "calls the AVX2 sampler after the CPU check")]
                unsafe {
                    simd::sample8(y_plane, u_plane, v_plane, &conversion, &xs, &ys, &mut rgb);
                }
                chunk.copy_from_slice(&rgb);
            }
            for px in pixels.into_remainder().chunks_exact_mut(3) {
                let rgb = self.bordered_rgb(x, y, border, conversion.coefficients);
                px.copy_from_slice(&normalised(rgb, scale, offset));
                x += to_coded.x[0];
                y += to_coded.y[0];
            }
        }
        true
    }

    /// Samples the luma (0..=255) of an `out_w × out_h` picture whose pixel `(u, v)` shows the
    /// displayed-image point `map(u, v)`, into `out` (row-major); coordinates are clamped.
    pub fn sample_luma(&self, map: &Affine, out_w: usize, out_h: usize, out: &mut [f32]) {
        let to_coded = self.coded_map(map);
        for (row, line) in out.chunks_mut(out_w.max(1)).take(out_h).enumerate() {
            // Stepped along the row rather than mapped pixel by pixel.
            let v = row as f32;
            let mut x = to_coded.x[1] * v + to_coded.x[2];
            let mut y = to_coded.y[1] * v + to_coded.y[2];
            for px in line {
                *px = self.y.bilinear(x, y);
                x += to_coded.x[0];
                y += to_coded.y[0];
            }
        }
    }

    /// Samples an RGBA picture (for previews and overlay export).
    pub fn sample_rgba(&self, map: &Affine, out_w: usize, out_h: usize, out: &mut [u8]) {
        self.sample(map, out_w, out_h, Border::Replicate, |i, [r, g, b]| {
            if let Some(px) = out.get_mut(i * 4..i * 4 + 4) {
                px[0] = r as u8;
                px[1] = g as u8;
                px[2] = b as u8;
                px[3] = 255;
            }
        });
    }
}

/// RGB in 0..=255 as model-input values.
#[inline]
fn normalised(rgb: [f32; 3], scale: f32, offset: f32) -> [f32; 3] {
    rgb.map(|c| c * scale + offset)
}

/// Fraction of a bilinear footprint at `p` that lies inside `0..len` pixels.
#[inline]
fn coverage(p: f32, len: f32) -> f32 {
    if p >= 0.0 && p <= len - 1.0 {
        1.0
    } else if p > -1.0 && p < 0.0 {
        1.0 + p
    } else if p > len - 1.0 && p < len {
        len - p
    } else {
        0.0
    }
}

/// One displayed frame with its true presentation time. A clone copies the pixels.
#[derive(Clone)]
pub struct Frame {
    /// 0-based displayed index (edit lists applied).
    pub index: usize,
    /// Presentation time in seconds from the first displayed frame.
    pub time_s: f64,
    pub(crate) picture: frame::Video,
    pub(crate) rotation: Rotation,
    pub(crate) matrix: ColourMatrix,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("index", &self.index)
            .field("time_s", &self.time_s)
            .field("rotation", &self.rotation)
            .finish_non_exhaustive()
    }
}

impl Frame {
    /// A view of the picture for sampling.
    pub fn image(&self) -> YuvImage<'_> {
        let plane = |i: usize, div: usize| Plane {
            data: self.picture.data(i),
            stride: self.picture.stride(i),
            width: (self.picture.width() as usize).div_ceil(div),
            height: (self.picture.height() as usize).div_ceil(div),
        };
        YuvImage {
            y: plane(0, 1),
            u: plane(1, 2),
            v: plane(2, 2),
            rotation: self.rotation,
            matrix: self.matrix,
        }
    }

    /// Makes this frame a copy of `other`, reusing its pixel buffers when the two have the
    /// same size and format (no allocation: a ring of kept frames stays the same size).
    pub fn copy_from(&mut self, other: &Self) {
        let same = self.picture.format() == other.picture.format()
            && self.picture.width() == other.picture.width()
            && self.picture.height() == other.picture.height();
        if same {
            self.picture.clone_from(&other.picture);
            self.index = other.index;
            self.time_s = other.time_s;
            self.rotation = other.rotation;
            self.matrix = other.matrix;
        } else {
            *self = other.clone();
        }
    }

    /// Displayed (upright) width and height.
    pub fn displayed_size(&self) -> (u32, u32) {
        self.rotation
            .displayed_size(self.picture.width(), self.picture.height())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(w: usize, h: usize) -> Vec<u8> {
        (0..w * h).map(|i| ((i % w) * 10 + (i / w)) as u8).collect()
    }

    #[test]
    fn rotation_maps_displayed_corners_to_coded_corners() {
        let (cw, ch) = (8.0, 4.0);
        let m = Rotation::Cw90.displayed_to_coded(cw, ch);
        // Displayed is 4 wide, 8 tall; its top-right corner shows the coded top-left.
        assert_eq!(m.apply(3.0, 0.0), (0.0, 0.0));
        assert_eq!(m.apply(3.0, 7.0), (7.0, 0.0));
        let m = Rotation::Cw270.displayed_to_coded(cw, ch);
        assert_eq!(m.apply(0.0, 7.0), (0.0, 0.0));
        let m = Rotation::Cw180.displayed_to_coded(cw, ch);
        assert_eq!(m.apply(7.0, 3.0), (0.0, 0.0));
        assert_eq!(Rotation::from_degrees_cw(-90.0), Rotation::Cw270);
        assert_eq!(Rotation::from_degrees_cw(450.0), Rotation::Cw90);
        assert_eq!(Rotation::from_degrees_cw(f64::NAN), Rotation::None);
    }

    #[test]
    fn sampling_grey_reproduces_luma_and_black_border() {
        let (w, h) = (6, 4);
        let luma = gradient(w, h);
        let chroma = vec![128u8; 3 * 2];
        let img = YuvImage {
            y: Plane {
                data: &luma,
                stride: w,
                width: w,
                height: h,
            },
            u: Plane {
                data: &chroma,
                stride: 3,
                width: 3,
                height: 2,
            },
            v: Plane {
                data: &chroma,
                stride: 3,
                width: 3,
                height: 2,
            },
            rotation: Rotation::None,
            matrix: ColourMatrix::Bt601Full,
        };
        let mut out = vec![0.0; 3 * 3 * 3];
        // Output pixel (u, v) samples displayed (u + 1.5, v): halfway between columns.
        img.sample_tensor(
            &Affine::scale_translate(1.0, 1.5, 0.0),
            3,
            3,
            Border::Black,
            Normalise::ZeroToOne,
            &mut out,
        );
        let expected = f32::midpoint(f32::from(luma[1]), f32::from(luma[2])) / 255.0;
        assert!((out[0] - expected).abs() < 1e-5, "{} vs {expected}", out[0]);
        assert!((out[0] - out[2]).abs() < 1e-6, "grey stays grey");
        // Far outside reads black.
        img.sample_tensor(
            &Affine::scale_translate(1.0, 100.0, 0.0),
            3,
            3,
            Border::Black,
            Normalise::MinusOneToOne,
            &mut out,
        );
        assert!(out.iter().all(|&v| (v + 1.0).abs() < 1e-6));
        // Replicate repeats the edge.
        img.sample_tensor(
            &Affine::scale_translate(1.0, 100.0, 0.0),
            3,
            3,
            Border::Replicate,
            Normalise::ZeroToOne,
            &mut out,
        );
        assert!((out[0] - f32::from(luma[w - 1]) / 255.0).abs() < 1e-5);
    }

    /// The model-input fast path must give exactly the general sampler's values for both
    /// borders, also at the edges, rotated, and on planes with no row padding (the last bytes
    /// of the data).
    #[test]
    fn model_input_fast_path_is_bit_identical_to_the_general_sampler() {
        fn plane(data: &[u8], width: usize, height: usize) -> Plane<'_> {
            Plane {
                data,
                stride: width,
                width,
                height,
            }
        }
        // A small deterministic pseudo-random picture, odd-sized so chroma rounds up.
        let mut seed = 0x9e37_79b9_u32;
        let mut noise = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    (seed >> 24) as u8
                })
                .collect()
        };
        let (w, h) = (37, 23);
        let (cw, ch) = (19, 12);
        let (luma, u, v) = (noise(w * h), noise(cw * ch), noise(cw * ch));
        let rotations = [
            Rotation::None,
            Rotation::Cw90,
            Rotation::Cw180,
            Rotation::Cw270,
        ];
        for (i, rotation) in rotations.into_iter().enumerate() {
            let img = YuvImage {
                y: plane(&luma, w, h),
                u: plane(&u, cw, ch),
                v: plane(&v, cw, ch),
                rotation,
                matrix: ColourMatrix::Bt709Limited,
            };
            let angle = 0.3 * i as f32 - 0.4;
            let (sin, cos) = angle.sin_cos();
            // 21 px wide (two SIMD steps and a remainder), reaching past every edge.
            let (out_w, out_h) = (21, 17);
            let k = 2.1;
            let map = Affine::new([cos * k, -sin * k, -6.3], [sin * k, cos * k, -4.7]);
            let cases = [
                (Border::Replicate, Normalise::ZeroToOne, 1.0 / 255.0, 0.0),
                (Border::Black, Normalise::MinusOneToOne, 1.0 / 127.5, -1.0),
            ];
            for (border, norm, scale, offset) in cases {
                let mut fast = vec![0.0; out_w * out_h * 3];
                img.sample_tensor(&map, out_w, out_h, border, norm, &mut fast);
                let mut reference = vec![0.0f32; out_w * out_h * 3];
                img.sample(&map, out_w, out_h, border, |i, [r, g, b]| {
                    reference[i * 3] = r * scale + offset;
                    reference[i * 3 + 1] = g * scale + offset;
                    reference[i * 3 + 2] = b * scale + offset;
                });
                for (j, (a, b)) in fast.iter().zip(&reference).enumerate() {
                    assert_eq!(
                        a.to_bits(),
                        b.to_bits(),
                        "{rotation:?} {border:?} value {j}: {a} vs {b}"
                    );
                }
            }
        }
    }

    #[test]
    fn limited_range_white_and_black_map_to_full_scale() {
        let c = ColourMatrix::Bt709Limited.coefficients();
        assert!(((235.0 - c[1]) * c[0] - 255.0).abs() < 1e-3);
        assert!(((16.0 - c[1]) * c[0]).abs() < 1e-3);
        // Pure red in BT.601 full range: V = 255 → R = 255 + headroom.
        let f = ColourMatrix::Bt601Full.coefficients();
        assert!((f[2] - 1.402).abs() < 1e-3 && (f[5] - 1.772).abs() < 1e-3);
    }
}
