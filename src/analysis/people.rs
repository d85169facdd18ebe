//! Which of the people in view is the athlete: everyone the tracker followed is kept, and one
//! of them is analysed (by default the one who jumps; the user may choose another).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::smooth::median;
use super::{AnalysisOptions, ClipFacts, analyze};
use crate::pose::{PoseFrame, Roi, landmark};
use crate::timing::Timings;

/// A person tracked in fewer frames than this is a passing glimpse (or a false detection)
/// and is not offered as a person to analyse.
const MIN_TRACKED_FRAMES: usize = 3;

/// Which person in view to analyse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum PersonChoice {
    /// The one who jumps (the most jumps, then the longest flights, then the most tracked).
    #[default]
    Auto,
    /// The leftmost person in the picture.
    Left,
    /// The rightmost person in the picture.
    Right,
    /// The person nearest the middle of the picture.
    Center,
    /// The person who looks biggest (nearest the camera).
    Largest,
    /// The n-th person from the left, counting from 1.
    Index(usize),
}

impl PersonChoice {
    /// The words a user types for it (`auto`, `left`, …, or a number).
    pub const NAMES: &str = "auto, left, right, center, largest, or a number (1 = leftmost)";
}

impl fmt::Display for PersonChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auto => f.write_str("auto"),
            Self::Left => f.write_str("left"),
            Self::Right => f.write_str("right"),
            Self::Center => f.write_str("center"),
            Self::Largest => f.write_str("largest"),
            Self::Index(n) => write!(f, "{n}"),
        }
    }
}

/// A person choice that is neither a known word nor a positive number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a person; use {names}", names = PersonChoice::NAMES)]
pub struct PersonChoiceError(String);

impl FromStr for PersonChoice {
    type Err = PersonChoiceError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(Self::Auto),
            "left" => Ok(Self::Left),
            "right" => Ok(Self::Right),
            "center" | "centre" | "middle" => Ok(Self::Center),
            "largest" | "biggest" => Ok(Self::Largest),
            other => match other.parse::<usize>() {
                Ok(n) if n >= 1 => Ok(Self::Index(n)),
                _ => Err(PersonChoiceError(s.to_owned())),
            },
        }
    }
}

/// How the sentence for a person number beyond those in view begins.
pub const NO_SUCH_PERSON: &str = "There is no person";

/// Where one tracked person is in the picture, for choosing and listing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PersonInView {
    /// Median hip centre across the frame, 0 (left edge) to 1 (right edge).
    pub x_share: f64,
    /// Median side of the person's tracking region, in displayed pixels (their size).
    pub size_px: f64,
    /// Frames the person was tracked in.
    pub tracked_frames: usize,
}

impl PersonInView {
    /// Sums up one person's poses; `None` when the person was never tracked.
    pub fn of(poses: &[PoseFrame], width: u32) -> Option<Self> {
        let tracked: Vec<&PoseFrame> = poses.iter().filter(|p| p.tracked).collect();
        let mut xs: Vec<f64> = tracked.iter().filter_map(|p| hip_x(p)).collect();
        let mut sizes: Vec<f64> = tracked
            .iter()
            .filter_map(|p| p.roi.as_ref().map(|r: &Roi| f64::from(r.side)))
            .collect();
        if xs.is_empty() {
            return None;
        }
        let size_px = if sizes.is_empty() {
            0.0
        } else {
            median(&mut sizes)
        };
        Some(Self {
            x_share: median(&mut xs) / f64::from(width.max(1)),
            size_px,
            tracked_frames: tracked.len(),
        })
    }
}

fn hip_x(pose: &PoseFrame) -> Option<f64> {
    let l = pose.landmarks.get(landmark::LEFT_HIP)?;
    let r = pose.landmarks.get(landmark::RIGHT_HIP)?;
    let x = f64::from(l.x + r.x) / 2.0;
    x.is_finite().then_some(x)
}

/// One person the tracker followed: a pose per displayed frame, and where they are.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackedPerson {
    /// Their place in the order the tracker found people (0: the first).
    pub found_order: usize,
    /// One pose per displayed frame (untracked where they were out of view or lost).
    pub poses: Vec<PoseFrame>,
    /// Where they are in the picture.
    pub seen: PersonInView,
}

/// Adds one frame's poses (`now`, in the order people were found) to everyone's lists; a
/// person found for the first time gets untracked poses for the frames before (`earlier`:
/// their indices and times), so every list has a pose per frame.
pub fn record(people: &mut Vec<Vec<PoseFrame>>, earlier: &[(usize, f64)], now: Vec<PoseFrame>) {
    for (i, pose) in now.into_iter().enumerate() {
        if i >= people.len() {
            people.push(untracked(earlier));
        }
        if let Some(list) = people.get_mut(i) {
            list.push(pose);
        }
    }
}

/// Untracked poses for `frames` (their indices and times).
pub fn untracked(frames: &[(usize, f64)]) -> Vec<PoseFrame> {
    frames
        .iter()
        .map(|&(index, time_s)| PoseFrame::untracked(index, time_s, false))
        .collect()
}

/// Everyone worth offering, left to right: people tracked in at least
/// [`MIN_TRACKED_FRAMES`] frames (or the best-tracked one when nobody was), each with where
/// they are in the picture.
///
/// With nobody tracked at all, the first person's (untracked) poses stand alone, so the clip
/// still has a pose per frame.
pub fn in_view(people: Vec<Vec<PoseFrame>>, width: u32) -> Vec<TrackedPerson> {
    let fallback = people.first().cloned().unwrap_or_default();
    let mut listed: Vec<TrackedPerson> = people
        .into_iter()
        .enumerate()
        .filter_map(|(found_order, poses)| {
            let seen = PersonInView::of(&poses, width)?;
            Some(TrackedPerson {
                found_order,
                poses,
                seen,
            })
        })
        .collect();
    if listed
        .iter()
        .any(|p| p.seen.tracked_frames >= MIN_TRACKED_FRAMES)
    {
        listed.retain(|p| p.seen.tracked_frames >= MIN_TRACKED_FRAMES);
    } else if let Some(best) = listed
        .iter()
        .enumerate()
        .max_by_key(|(_, p)| p.seen.tracked_frames)
        .map(|(i, _)| i)
    {
        let kept = listed.swap_remove(best);
        listed = vec![kept];
    }
    if listed.is_empty() {
        listed.push(TrackedPerson {
            found_order: 0,
            poses: fallback,
            seen: PersonInView {
                x_share: 0.5,
                size_px: 0.0,
                tracked_frames: 0,
            },
        });
    }
    listed.sort_by(|a, b| a.seen.x_share.total_cmp(&b.seen.x_share));
    listed
}

/// Which of `people` (listed left to right, as [`in_view`] gives them) `choice` names, and a
/// sentence when the choice could not be followed (a person number beyond those in view).
/// `Auto` analyses everyone and takes whoever jumps most.
pub fn choose(
    people: &[TrackedPerson],
    choice: PersonChoice,
    facts: &ClipFacts,
    options: &AnalysisOptions,
) -> (usize, Option<String>) {
    let by = |key: &dyn Fn(&PersonInView) -> f64| {
        people
            .iter()
            .enumerate()
            .max_by(|a, b| key(&a.1.seen).total_cmp(&key(&b.1.seen)))
            .map_or(0, |(i, _)| i)
    };
    match choice {
        _ if people.len() <= 1 => (0, None),
        PersonChoice::Left => (0, None),
        PersonChoice::Right => (people.len() - 1, None),
        PersonChoice::Center => (by(&|p| -(p.x_share - 0.5).abs()), None),
        PersonChoice::Largest => (by(&|p| p.size_px), None),
        PersonChoice::Index(n) if n <= people.len() => (n - 1, None),
        PersonChoice::Index(n) => {
            let chosen = who_jumps(people, facts, options);
            let note = format!(
                "{NO_SUCH_PERSON} {n} in view (only {}); person {} (the one who jumps) was analysed.",
                people.len(),
                chosen + 1
            );
            (chosen, Some(note))
        }
        PersonChoice::Auto => (who_jumps(people, facts, options), None),
    }
}

/// The person with the most jumps, then the most flight time, then the most tracked frames.
fn who_jumps(people: &[TrackedPerson], facts: &ClipFacts, options: &AnalysisOptions) -> usize {
    let score = |person: &TrackedPerson| {
        let analysis = analyze(&person.poses, facts, options, &mut Timings::new());
        let flight: f64 = analysis
            .flights
            .iter()
            .map(|f| f.landing_s - f.takeoff_s)
            .sum();
        (analysis.jumps.len(), flight, person.seen.tracked_frames)
    };
    let scores: Vec<(usize, f64, usize)> = people.iter().map(score).collect();
    scores
        .iter()
        .enumerate()
        .max_by(|(_, a), (_, b)| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2)))
        .map_or(0, |(i, _)| i)
}

/// A sentence naming who was analysed when several people are in view; `None` for one.
pub fn analysed_note(people: &[TrackedPerson], chosen: usize) -> Option<String> {
    if people.len() < 2 {
        return None;
    }
    let place = position_word(chosen, people.len());
    Some(format!(
        "{} people are in view; person {} ({place}) was analysed. Choose another with --person, or click them in the app.",
        people.len(),
        chosen + 1
    ))
}

/// "left", "right", "second from left", … for the `index`-th of `count` people from the left.
pub fn position_word(index: usize, count: usize) -> String {
    match (index, count) {
        (0, _) => "left".to_owned(),
        (i, n) if i + 1 == n => "right".to_owned(),
        (1, 3) => "middle".to_owned(),
        (i, _) => format!("{} from left", ordinal(i + 1)),
    }
}

fn ordinal(n: usize) -> String {
    match n {
        2 => "second".to_owned(),
        3 => "third".to_owned(),
        n => format!("{n}th"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse_from_words_and_numbers() {
        assert_eq!("left".parse(), Ok(PersonChoice::Left));
        assert_eq!(" Centre ".parse(), Ok(PersonChoice::Center));
        assert_eq!("2".parse(), Ok(PersonChoice::Index(2)));
        assert!("0".parse::<PersonChoice>().is_err());
        assert!("tallest".parse::<PersonChoice>().is_err());
        for choice in [
            PersonChoice::Auto,
            PersonChoice::Largest,
            PersonChoice::Index(3),
        ] {
            assert_eq!(choice.to_string().parse(), Ok(choice));
        }
    }

    fn person(x_share: f64, size_px: f64) -> TrackedPerson {
        TrackedPerson {
            found_order: 0,
            poses: Vec::new(),
            seen: PersonInView {
                x_share,
                size_px,
                tracked_frames: 10,
            },
        }
    }

    #[test]
    fn positional_choices_pick_by_place_and_size() {
        let people = [person(0.1, 300.0), person(0.45, 200.0), person(0.9, 100.0)];
        let facts = ClipFacts::default();
        let options = AnalysisOptions::default();
        let pick = |c| choose(&people, c, &facts, &options);
        assert_eq!(pick(PersonChoice::Left), (0, None));
        assert_eq!(pick(PersonChoice::Right), (2, None));
        assert_eq!(pick(PersonChoice::Center), (1, None));
        assert_eq!(pick(PersonChoice::Largest), (0, None));
        assert_eq!(pick(PersonChoice::Index(2)), (1, None));
        let (_, note) = pick(PersonChoice::Index(7));
        assert!(note.is_some_and(|n| n.contains("no person 7")));
        assert_eq!(position_word(1, 3), "middle");
        assert_eq!(position_word(1, 4), "second from left");
    }
}
