//! The rules between clip time and displayed frames, in one place: which frame an event falls
//! on, which frame is nearest a time, and where the clip's time axis ends.

/// Index of the first frame whose time is at or after `t` (the last frame if none, 0 for no
/// frames). A frame within a nanosecond before `t` counts as at `t`: event times computed from
/// frame times must land on that frame, not the next.
pub fn frame_at_or_after(times: &[f64], t: f64) -> usize {
    times
        .partition_point(|&x| x < t - 1e-9)
        .min(times.len().saturating_sub(1))
}

/// The frames from the one at or after `start` up to, not including, the one at or after
/// `end`: a flight's airborne frames are the frames between its takeoff and its landing.
pub fn frames_between(times: &[f64], start: f64, end: f64) -> std::ops::Range<usize> {
    let at = |t: f64| times.partition_point(|&x| x < t - 1e-9);
    at(start)..at(end).max(at(start))
}

/// The last frame whose time has come at `t` (the frame on screen while playing; 0 before
/// the first).
pub fn frame_at_or_before(times: &[f64], t: f64) -> usize {
    times.partition_point(|&x| x <= t + 1e-9).saturating_sub(1)
}

/// The frame whose time is closest to `t` (the earlier one on a tie).
pub fn nearest_frame(times: &[f64], t: f64) -> usize {
    let after = times.partition_point(|&x| x < t);
    match (
        after.checked_sub(1).and_then(|i| times.get(i)),
        times.get(after),
    ) {
        (Some(&before), Some(&next)) if t - before <= next - t => after - 1,
        (Some(_), None) => after - 1,
        _ => after,
    }
}

/// End of the clip's time axis: one frame interval past the last frame.
pub fn clip_end(times: &[f64]) -> f64 {
    match times {
        [] => 0.0,
        [only] => only + 1.0 / 30.0,
        [.., a, b] => b + (b - a).max(1e-3),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_falls_on_the_frame_at_or_after_it() {
        let t = [0.0, 0.1, 0.2];
        assert_eq!(frame_at_or_after(&t, 0.05), 1);
        assert_eq!(frame_at_or_after(&t, 0.1), 1);
        assert_eq!(frame_at_or_after(&t, 0.1 + 1e-12), 1, "rounding noise");
        assert_eq!(frame_at_or_after(&t, 9.0), 2);
        assert_eq!(frame_at_or_after(&t, -1.0), 0);
        assert_eq!(frame_at_or_after(&[], 1.0), 0);
    }

    #[test]
    fn a_flight_owns_the_frames_between_its_edges() {
        let t = [0.0, 0.1, 0.2, 0.3, 0.4];
        assert_eq!(frames_between(&t, 0.05, 0.35), 1..4);
        assert_eq!(
            frames_between(&t, 0.1, 0.3),
            1..3,
            "an edge on a frame owns it"
        );
        assert_eq!(frames_between(&t, 0.31, 0.32), 4..4);
        assert_eq!(frames_between(&t, 0.3, 0.1), 3..3);
        assert_eq!(frame_at_or_before(&t, 0.25), 2);
        assert_eq!(frame_at_or_before(&t, 0.3), 3);
        assert_eq!(frame_at_or_before(&t, -1.0), 0);
    }

    #[test]
    fn nearest_frame_picks_the_closer_neighbour() {
        let t = [0.0, 0.1, 0.2];
        assert_eq!(nearest_frame(&t, 0.04), 0);
        assert_eq!(nearest_frame(&t, 0.06), 1);
        assert_eq!(nearest_frame(&t, 5.0), 2);
        assert_eq!(nearest_frame(&t, -1.0), 0);
        assert_eq!(nearest_frame(&[], 1.0), 0);
    }

    #[test]
    fn the_axis_ends_one_frame_after_the_last() {
        assert!((clip_end(&[0.0, 0.1, 0.2]) - 0.3).abs() < 1e-12);
        assert!(clip_end(&[]).abs() < f64::EPSILON);
    }
}
