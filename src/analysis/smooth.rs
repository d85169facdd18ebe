//! Time-based signal conditioning: gap filling, outlier rejection and local-polynomial
//! smoothing with derivatives. Windows are in seconds, so the same motion gives the same
//! result at 25 or 240 fps, and uneven (VFR) sampling is handled exactly.

/// Fills runs of NaN no longer than `max_gap_s` by linear interpolation in time; longer
/// gaps and edges stay NaN.
pub fn fill_gaps(t: &[f64], y: &mut [f64], max_gap_s: f64) {
    let mut last_good: Option<usize> = None;
    let mut i = 0;
    while i < y.len() {
        if y[i].is_finite() {
            last_good = Some(i);
            i += 1;
            continue;
        }
        let start = i;
        while i < y.len() && !y[i].is_finite() {
            i += 1;
        }
        if let (Some(a), true) = (last_good, i < y.len()) {
            let (ta, tb) = (t[a], t[i]);
            if tb - ta <= max_gap_s && tb > ta {
                for k in start..i {
                    let f = (t[k] - ta) / (tb - ta);
                    y[k] = y[a] + (y[i] - y[a]) * f;
                }
            }
        }
    }
}

/// Replaces samples further than `k` scaled MADs from the median of their ±`half_window_s`
/// neighbourhood with NaN (a Hampel filter). Returns how many were rejected.
pub fn reject_outliers(t: &[f64], y: &mut [f64], half_window_s: f64, k: f64) -> usize {
    let original = y.to_vec();
    let mut rejected = 0;
    let mut window = Vec::new();
    let mut lo = 0;
    let mut hi = 0;
    for i in 0..original.len() {
        if !original[i].is_finite() {
            continue;
        }
        while lo < i && t[lo] < t[i] - half_window_s {
            lo += 1;
        }
        while hi < original.len() && t[hi] <= t[i] + half_window_s {
            hi += 1;
        }
        window.clear();
        window.extend(original[lo..hi].iter().copied().filter(|v| v.is_finite()));
        if window.len() < 5 {
            continue;
        }
        let med = median(&mut window);
        for v in &mut window {
            *v = (*v - med).abs();
        }
        let mad = 1.4826 * median(&mut window);
        if mad > 0.0 && (original[i] - med).abs() > k * mad {
            y[i] = f64::NAN;
            rejected += 1;
        }
    }
    rejected
}

/// Replaces isolated spikes with NaN: samples that jump away from both neighbours in the same
/// direction by more than `min_jump` (and by more than six robust spreads of the signal's
/// frame-to-frame steps). Unlike a windowed median filter it keeps real excursions that last
/// several samples, such as a foot leaving the ground for a hop. Returns how many were
/// rejected.
pub fn reject_spikes(y: &mut [f64], min_jump: f64) -> usize {
    let mut steps: Vec<f64> = y
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .filter(|d| d.is_finite())
        .collect();
    let spread = 1.4826 * median(&mut steps);
    let threshold = if spread.is_finite() {
        min_jump.max(6.0 * spread)
    } else {
        min_jump
    };
    let original = y.to_vec();
    let mut rejected = 0;
    for k in 1..original.len().saturating_sub(1) {
        let (before, here, after) = (original[k - 1], original[k], original[k + 1]);
        if !(before.is_finite() && here.is_finite() && after.is_finite()) {
            continue;
        }
        let (up, down) = (here - before, here - after);
        if up.signum() == down.signum() && up.abs().min(down.abs()) > threshold {
            y[k] = f64::NAN;
            rejected += 1;
        }
    }
    rejected
}

/// Median of finite values (reorders the slice); NaN when empty.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mid = values.len() / 2;
    let (_, m, _) = values.select_nth_unstable_by(mid, f64::total_cmp);
    *m
}

/// Value, first and second time derivative of a smoothed signal at each sample.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Smoothed {
    /// Smoothed value.
    pub value: Vec<f64>,
    /// First derivative per second.
    pub d1: Vec<f64>,
    /// Second derivative per second².
    pub d2: Vec<f64>,
}

/// Local quadratic regression (a Savitzky–Golay filter generalised to uneven sampling) with
/// tricube weights over ±`half_window_s`, widened where needed to hold at least
/// `min_neighbours` samples each side. NaN samples are ignored; outputs are NaN where fewer
/// than three valid samples are near.
pub fn smooth(t: &[f64], y: &[f64], half_window_s: f64, min_neighbours: usize) -> Smoothed {
    let n = t.len().min(y.len());
    let mut out = Smoothed {
        value: vec![f64::NAN; n],
        d1: vec![f64::NAN; n],
        d2: vec![f64::NAN; n],
    };
    let valid: Vec<usize> = (0..n)
        .filter(|&i| y[i].is_finite() && t[i].is_finite())
        .collect();
    for i in 0..n {
        if !t[i].is_finite() {
            continue;
        }
        // Position of t[i] among the valid samples.
        let pos = valid.partition_point(|&j| t[j] < t[i]);
        let before = valid[..pos].iter().rev();
        let after = valid[pos..].iter();
        // Takes samples within the window, and at least `min_neighbours` besides sample i.
        let count_within = |it: &mut dyn Iterator<Item = &usize>| {
            let mut reach = 0.0f64;
            let (mut taken, mut others) = (0, 0);
            for &j in it {
                let d = (t[j] - t[i]).abs();
                if d <= half_window_s || others < min_neighbours {
                    reach = reach.max(d);
                    taken += 1;
                    others += usize::from(j != i);
                } else {
                    break;
                }
            }
            (taken, reach)
        };
        let (nb, rb) = count_within(&mut before.clone());
        let (na, ra) = count_within(&mut after.clone());
        // Tricube weights over 1.5× the reach keep the outermost samples in play.
        let reach = rb.max(ra).max(half_window_s) * 1.5;
        let members = valid[pos.saturating_sub(nb)..(pos + na).min(valid.len())].iter();
        // Weighted least squares for y ≈ c0 + c1·u + c2·u², u = (t − t[i]) / reach: in units
        // of the window, so the system's conditioning (and solve3's singularity test) does
        // not depend on how short the window is in seconds.
        let mut s = [0.0f64; 5];
        let mut r = [0.0f64; 3];
        let mut used = 0;
        for &j in members {
            let u = (t[j] - t[i]) / reach;
            if u.abs() >= 1.0 {
                continue;
            }
            let w = (1.0 - u.abs().powi(3)).powi(3);
            let mut p = w;
            for item in &mut s {
                *item += p;
                p *= u;
            }
            r[0] += w * y[j];
            r[1] += w * y[j] * u;
            r[2] += w * y[j] * u * u;
            used += 1;
        }
        if used < 3 {
            continue;
        }
        if let Some([c0, c1, c2]) = solve3(
            [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]],
            r,
        ) {
            out.value[i] = c0;
            out.d1[i] = c1 / reach;
            out.d2[i] = 2.0 * c2 / (reach * reach);
        }
    }
    out
}

/// Solves a 3×3 linear system by Cramer's rule; `None` when (nearly) singular.
pub fn solve3(m: [[f64; 3]; 3], r: [f64; 3]) -> Option<[f64; 3]> {
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    let scale = m.iter().flatten().fold(0.0f64, |a, v| a.max(v.abs()));
    if !d.is_finite() || d.abs() <= 1e-12 * scale.powi(3) {
        return None;
    }
    let mut out = [0.0; 3];
    for (col, o) in out.iter_mut().enumerate() {
        let mut mc = m;
        for row in 0..3 {
            mc[row][col] = r[row];
        }
        *o = det(&mc) / d;
    }
    out.iter().all(|v| v.is_finite()).then_some(out)
}

/// Standard error of the curvature `a` of [`fit_parabola`] over the same points, given the
/// fit's RMS residual; `None` with fewer than four points.
pub fn parabola_curvature_se(t: &[f64], y: &[f64], t0: f64, rms: f64) -> Option<f64> {
    let xs: Vec<f64> = t
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(&a, _)| a - t0)
        .collect();
    let n = xs.len();
    if n < 4 || !rms.is_finite() {
        return None;
    }
    let mut s = [0.0f64; 5];
    for &d in &xs {
        let mut p = 1.0;
        for item in &mut s {
            *item += p;
            p *= d;
        }
    }
    // The first column of the inverse normal matrix; its first entry scales the variance.
    let column = solve3(
        [[s[4], s[3], s[2]], [s[3], s[2], s[1]], [s[2], s[1], s[0]]],
        [1.0, 0.0, 0.0],
    )?;
    let sigma = rms * (n as f64 / (n - 3) as f64).sqrt();
    (column[0] > 0.0).then(|| sigma * column[0].sqrt())
}

/// Least-squares parabola `y = a·t² + b·t + c` through the given points (t centred on `t0`
/// for conditioning). Returns `[a, b, c]` in the centred variable and the RMS residual.
pub fn fit_parabola(t: &[f64], y: &[f64], t0: f64) -> Option<([f64; 3], f64)> {
    let pts: Vec<(f64, f64)> = t
        .iter()
        .zip(y)
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .map(|(&a, &b)| (a - t0, b))
        .collect();
    if pts.len() < 4 {
        return None;
    }
    let mut s = [0.0f64; 5];
    let mut r = [0.0f64; 3];
    for &(d, v) in &pts {
        let mut p = 1.0;
        for item in &mut s {
            *item += p;
            p *= d;
        }
        r[0] += v * d * d;
        r[1] += v * d;
        r[2] += v;
    }
    let coeffs = solve3(
        [[s[4], s[3], s[2]], [s[3], s[2], s[1]], [s[2], s[1], s[0]]],
        r,
    )?;
    let rms = (pts
        .iter()
        .map(|&(d, v)| (coeffs[0] * d * d + coeffs[1] * d + coeffs[2] - v).powi(2))
        .sum::<f64>()
        / pts.len() as f64)
        .sqrt();
    Some((coeffs, rms))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spikes_go_but_a_hop_stays() {
        // Ground at 100 with ±0.5 of jitter, a three-frame hop up to 70, one wild sample at 40.
        let mut y: Vec<f64> = (0..40)
            .map(|k| 100.0 + 0.5 * f64::from(k % 3) - 0.5)
            .collect();
        y[10..13].copy_from_slice(&[80.0, 70.0, 82.0]);
        y[30] = 40.0;
        let n = reject_spikes(&mut y, 15.0);
        assert_eq!(n, 1);
        assert!(y[30].is_nan());
        assert_eq!(&y[10..13], &[80.0, 70.0, 82.0]);
    }

    #[test]
    fn smoothing_recovers_a_quadratic_and_its_derivatives_on_uneven_samples() {
        let t: Vec<f64> = (0..80)
            .map(|i| f64::from(i) / 60.0 + if i % 3 == 0 { 0.002 } else { 0.0 })
            .collect();
        let y: Vec<f64> = t.iter().map(|t| 3.0 * t * t - 2.0 * t + 1.0).collect();
        let s = smooth(&t, &y, 0.05, 2);
        for i in 5..75 {
            assert!((s.value[i] - y[i]).abs() < 1e-9);
            assert!((s.d1[i] - (6.0 * t[i] - 2.0)).abs() < 1e-6);
            assert!((s.d2[i] - 6.0).abs() < 1e-4);
        }
    }

    #[test]
    fn gaps_are_bridged_only_when_short() {
        let t: Vec<f64> = (0..10).map(f64::from).collect();
        let mut y = vec![
            0.0,
            1.0,
            f64::NAN,
            f64::NAN,
            4.0,
            5.0,
            f64::NAN,
            f64::NAN,
            f64::NAN,
            f64::NAN,
        ];
        fill_gaps(&t, &mut y, 3.0);
        assert_eq!(&y[..6], &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        assert!(y[6].is_nan(), "trailing gap has no right neighbour");
        let mut y = vec![0.0, f64::NAN, f64::NAN, f64::NAN, f64::NAN, 5.0];
        fill_gaps(&t[..6], &mut y, 3.0);
        assert!(y[2].is_nan());
    }

    #[test]
    fn hampel_removes_a_spike_and_keeps_the_trend() {
        let t: Vec<f64> = (0..30).map(|i| f64::from(i) / 30.0).collect();
        let mut y: Vec<f64> = t.iter().map(|t| 10.0 * t + (t * 20.0).sin()).collect();
        y[15] += 40.0;
        let n = reject_outliers(&t, &mut y, 0.1, 3.0);
        assert_eq!(n, 1);
        assert!(y[15].is_nan());
    }

    #[test]
    fn parabola_fit_is_exact_on_ballistic_points() {
        let t: Vec<f64> = (0..10).map(|i| 1.0 + f64::from(i) / 30.0).collect();
        let y: Vec<f64> = t.iter().map(|t| 4.905 * (t - 1.1).powi(2) + 2.0).collect();
        let ([a, b, _], rms) = fit_parabola(&t, &y, 1.0).unwrap();
        assert!((a - 4.905).abs() < 1e-6 && rms < 1e-9);
        assert!((-b / (2.0 * a) - 0.1).abs() < 1e-6);
        assert!(fit_parabola(&t[..3], &y[..3], 1.0).is_none());
    }
}
