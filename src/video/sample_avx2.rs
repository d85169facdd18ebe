//! The landmark crop on AVX2: eight output pixels at a time, each bilinear tap pair fetched
//! with one gather. It does the scalar sampler's arithmetic in the same order with the same
//! operations (no fused multiply-add), so its values are bit-identical; the crop runs on
//! every frame and was a quarter of the tracker's time.
#![allow(
    unsafe_code,
    reason = "AVX2 intrinsics: the CPU feature is checked at run time and every gather is bounds-checked per plane"
)]

use std::arch::x86_64::{
    __m256, __m256i, _mm256_add_epi32, _mm256_add_ps, _mm256_and_si256, _mm256_blendv_epi8,
    _mm256_cmpgt_epi32, _mm256_cvtepi32_ps, _mm256_cvttps_epi32, _mm256_i32gather_epi32,
    _mm256_loadu_ps, _mm256_max_ps, _mm256_min_epi32, _mm256_min_ps, _mm256_mul_ps,
    _mm256_mullo_epi32, _mm256_set1_epi32, _mm256_set1_ps, _mm256_setzero_ps, _mm256_slli_epi32,
    _mm256_srli_epi32, _mm256_srlv_epi32, _mm256_storeu_ps, _mm256_sub_epi32, _mm256_sub_ps,
};

use super::frame::Plane;

/// Output pixels per step.
pub(super) const LANES: usize = 8;

/// A plane the gathers may read: at least four bytes, every tap index inside the data, and
/// indices that fit in `i32`.
#[derive(Clone, Copy)]
pub(super) struct GatherPlane<'a> {
    plane: Plane<'a>,
    /// The last index a 32-bit read may start at.
    last_word: i32,
}

impl<'a> GatherPlane<'a> {
    /// `None` when the plane is empty, smaller than its layout says, or too large for
    /// 32-bit indices.
    pub(super) fn new(plane: Plane<'a>) -> Option<Self> {
        let (w, h) = (plane.width, plane.height);
        if w == 0 || h == 0 || plane.stride < w || plane.data.len() < 4 {
            return None;
        }
        let last = (h - 1).checked_mul(plane.stride)?.checked_add(w - 1)?;
        if last >= plane.data.len() {
            return None;
        }
        let last_word = i32::try_from(plane.data.len() - 4).ok()?;
        i32::try_from(plane.stride).ok()?;
        Some(Self { plane, last_word })
    }
}

/// Colour and normalisation constants of one crop.
#[derive(Clone, Copy)]
pub(super) struct Conversion {
    /// `(y_scale, y_offset, rv, gu, gv, bu)` of the colour matrix.
    pub coefficients: [f32; 6],
    /// Tensor scale and offset.
    pub scale: f32,
    /// Added after scaling.
    pub offset: f32,
    /// Coded picture width and height when samples outside it fade to black (the detector's
    /// letterbox); `None` replicates the edge (the landmark crop).
    pub black_outside: Option<[f32; 2]>,
}

/// Whether this CPU can run [`sample8`].
pub(super) fn available() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

/// RGB of eight pixels at coded coordinates `xs`, `ys` (clamped to the planes, and faded to
/// black outside the picture when the conversion says so), normalised and interleaved into
/// `out` (24 values).
///
/// # Safety
/// The CPU must support AVX2 ([`available`]).
#[target_feature(enable = "avx2")]
pub(super) unsafe fn sample8(
    y_plane: GatherPlane<'_>,
    u_plane: GatherPlane<'_>,
    v_plane: GatherPlane<'_>,
    conversion: &Conversion,
    xs: &[f32; LANES],
    ys: &[f32; LANES],
    out: &mut [f32; 3 * LANES],
) {
    let [y_scale, y_offset, rv, gu, gv, bu] = conversion.coefficients;
    let (y_scale, y_offset) = (_mm256_set1_ps(y_scale), _mm256_set1_ps(y_offset));
    let (rv, gu, gv, bu) = (
        _mm256_set1_ps(rv),
        _mm256_set1_ps(gu),
        _mm256_set1_ps(gv),
        _mm256_set1_ps(bu),
    );
    // SAFETY: `xs` and `ys` hold exactly eight floats each.
    let (x, y) = unsafe { (_mm256_loadu_ps(xs.as_ptr()), _mm256_loadu_ps(ys.as_ptr())) };
    let half = _mm256_set1_ps(0.5);
    let chroma_centre = _mm256_set1_ps(128.0);
    // SAFETY (three calls): AVX2 is enabled here, and the planes were checked for gathers.
    let luma = unsafe { bilinear8(y_plane, x, y) };
    let luma = _mm256_mul_ps(_mm256_sub_ps(luma, y_offset), y_scale);
    let (cx, cy) = (
        _mm256_mul_ps(x, half),
        _mm256_mul_ps(_mm256_sub_ps(y, half), half),
    );
    let cb = _mm256_sub_ps(unsafe { bilinear8(u_plane, cx, cy) }, chroma_centre);
    let cr = _mm256_sub_ps(unsafe { bilinear8(v_plane, cx, cy) }, chroma_centre);
    // Multiplying by exactly 1 changes nothing, so one path serves both borders.
    let alpha = match conversion.black_outside {
        Some([w, h]) => _mm256_mul_ps(coverage(x, w), coverage(y, h)),
        None => _mm256_set1_ps(1.0),
    };
    let r = finish(
        _mm256_add_ps(luma, _mm256_mul_ps(rv, cr)),
        alpha,
        conversion,
    );
    let g = finish(
        _mm256_add_ps(
            _mm256_add_ps(luma, _mm256_mul_ps(gu, cb)),
            _mm256_mul_ps(gv, cr),
        ),
        alpha,
        conversion,
    );
    let b = finish(
        _mm256_add_ps(luma, _mm256_mul_ps(bu, cb)),
        alpha,
        conversion,
    );
    let mut channels = [[0.0f32; LANES]; 3];
    // SAFETY: each destination holds exactly eight floats.
    unsafe {
        _mm256_storeu_ps(channels[0].as_mut_ptr(), r);
        _mm256_storeu_ps(channels[1].as_mut_ptr(), g);
        _mm256_storeu_ps(channels[2].as_mut_ptr(), b);
    }
    for (i, px) in out.chunks_exact_mut(3).enumerate() {
        px[0] = channels[0][i];
        px[1] = channels[1][i];
        px[2] = channels[2][i];
    }
}

/// Clamps to 0..=255, fades by `alpha`, then scales and offsets.
///
/// `max(v, 0)` may turn −0 into +0 where the scalar clamp keeps −0; after `· scale + offset`
/// both are the same value.
#[target_feature(enable = "avx2")]
fn finish(v: __m256, alpha: __m256, conversion: &Conversion) -> __m256 {
    let clamped = _mm256_min_ps(_mm256_max_ps(v, _mm256_setzero_ps()), _mm256_set1_ps(255.0));
    _mm256_add_ps(
        _mm256_mul_ps(
            _mm256_mul_ps(clamped, alpha),
            _mm256_set1_ps(conversion.scale),
        ),
        _mm256_set1_ps(conversion.offset),
    )
}

/// Fraction of a bilinear footprint at `p` inside `0..len` (the scalar `coverage`, branch
/// free): 1 inside, `1 + p` or `len − p` on the edge pixel, 0 beyond.
#[target_feature(enable = "avx2")]
fn coverage(p: __m256, len: f32) -> __m256 {
    let one = _mm256_set1_ps(1.0);
    let rising = _mm256_add_ps(one, p);
    let falling = _mm256_sub_ps(_mm256_set1_ps(len), p);
    _mm256_max_ps(
        _mm256_min_ps(_mm256_min_ps(rising, falling), one),
        _mm256_setzero_ps(),
    )
}

/// The two taps of a row from a gathered 32-bit word (bytes 0 and 1), the right one
/// replaced by the left where there is no pixel to the right.
#[target_feature(enable = "avx2")]
fn tap_pair(word: __m256i, has_right: __m256i) -> (__m256, __m256) {
    let byte = _mm256_set1_epi32(0xff);
    let left = _mm256_and_si256(word, byte);
    let right = _mm256_and_si256(_mm256_srli_epi32::<8>(word), byte);
    let right = _mm256_blendv_epi8(left, right, has_right);
    (_mm256_cvtepi32_ps(left), _mm256_cvtepi32_ps(right))
}

/// The four bytes from each index (fewer at the very end of the data: the read starts
/// earlier and is shifted down, so byte 0 is always the indexed one).
///
/// # Safety
/// AVX2 must be available and every index must lie inside the plane's data.
#[target_feature(enable = "avx2")]
unsafe fn gather_word(plane: GatherPlane<'_>, index: __m256i) -> __m256i {
    let start = _mm256_min_epi32(index, _mm256_set1_epi32(plane.last_word));
    let shift = _mm256_slli_epi32::<3>(_mm256_sub_epi32(index, start));
    // SAFETY: 0 ≤ start ≤ len − 4, so each 32-bit read lies inside `data`; unaligned
    // gathers are allowed.
    #[allow(
        clippy::cast_ptr_alignment,
        reason = "gathers with scale 1 read unaligned 32-bit words"
    )]
    let words =
        unsafe { _mm256_i32gather_epi32::<1>(plane.plane.data.as_ptr().cast::<i32>(), start) };
    _mm256_srlv_epi32(words, shift)
}

/// `a + (b − a)·t`, the scalar sampler's interpolation.
#[target_feature(enable = "avx2")]
fn lerp((a, b): (__m256, __m256), t: __m256) -> __m256 {
    _mm256_add_ps(a, _mm256_mul_ps(_mm256_sub_ps(b, a), t))
}

/// Bilinear values at eight points, coordinates clamped to the plane: `Plane::bilinear`
/// lane by lane.
///
/// # Safety
/// AVX2 must be available.
#[target_feature(enable = "avx2")]
unsafe fn bilinear8(plane: GatherPlane<'_>, x: __m256, y: __m256) -> __m256 {
    let p = plane.plane;
    // The plane check guarantees these fit in i32.
    let max_x = (p.width - 1) as i32;
    let max_y = (p.height - 1) as i32;
    let zero = _mm256_setzero_ps();
    let x = _mm256_min_ps(_mm256_max_ps(x, zero), _mm256_set1_ps(max_x as f32));
    let y = _mm256_min_ps(_mm256_max_ps(y, zero), _mm256_set1_ps(max_y as f32));
    // Truncation is the floor for these non-negative values.
    let x0 = _mm256_cvttps_epi32(x);
    let y0 = _mm256_cvttps_epi32(y);
    let fx = _mm256_sub_ps(x, _mm256_cvtepi32_ps(x0));
    let fy = _mm256_sub_ps(y, _mm256_cvtepi32_ps(y0));
    let y1 = _mm256_min_epi32(
        _mm256_add_epi32(y0, _mm256_set1_epi32(1)),
        _mm256_set1_epi32(max_y),
    );
    // At the right edge the second tap is the first again.
    let has_right = _mm256_cmpgt_epi32(_mm256_set1_epi32(max_x), x0);
    let stride = _mm256_set1_epi32(p.stride as i32);
    let top = _mm256_add_epi32(_mm256_mullo_epi32(y0, stride), x0);
    let bottom = _mm256_add_epi32(_mm256_mullo_epi32(y1, stride), x0);
    // SAFETY: AVX2 is enabled here and `GatherPlane::new` checked the plane.
    let (top, bottom) = unsafe { (gather_word(plane, top), gather_word(plane, bottom)) };
    let t = lerp(tap_pair(top, has_right), fx);
    let b = lerp(tap_pair(bottom, has_right), fx);
    lerp((t, b), fy)
}
