//! Undo and redo of a person's corrections to one video's analysis. A correction is an
//! analysis operation (the options with the moved edges), so undoing one analyses the same
//! poses again with the options from before it: no snapshot of results is kept.

use crate::analysis::AnalysisOptions;

/// Corrections kept for undo per video; older ones are forgotten.
const MAX_UNDO: usize = 200;

/// The options before each correction, and the ones undone.
#[derive(Debug, Default, Clone)]
pub struct EditHistory {
    undo: Vec<AnalysisOptions>,
    redo: Vec<AnalysisOptions>,
}

impl EditHistory {
    /// A correction is about to replace `before`.
    pub fn record(&mut self, before: AnalysisOptions) {
        if self.undo.len() == MAX_UNDO {
            self.undo.remove(0);
        }
        self.undo.push(before);
        self.redo.clear();
    }

    /// The options to go back to from `current`, if a correction was made.
    pub fn undo(&mut self, current: AnalysisOptions) -> Option<AnalysisOptions> {
        // A click on a marker records a step that changed nothing: skip such steps.
        while let Some(before) = self.undo.pop() {
            if before != current {
                self.redo.push(current);
                return Some(before);
            }
        }
        None
    }

    /// The options to go forward to again from `current`, if a correction was undone.
    pub fn redo(&mut self, current: AnalysisOptions) -> Option<AnalysisOptions> {
        let after = self.redo.pop()?;
        self.undo.push(current);
        Some(after)
    }

    /// Whether there is a correction to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is an undone correction to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::JumpKind;

    fn options(kind: Option<JumpKind>) -> AnalysisOptions {
        AnalysisOptions {
            kind,
            ..AnalysisOptions::default()
        }
    }

    #[test]
    fn undo_and_redo_walk_the_corrections_and_a_new_one_drops_the_redo() {
        let mut h = EditHistory::default();
        assert!(!h.can_undo());
        h.record(options(None));
        h.record(options(Some(JumpKind::Cmj)));
        let current = options(Some(JumpKind::Sj));
        let back = h.undo(current.clone()).unwrap();
        assert_eq!(back, options(Some(JumpKind::Cmj)));
        assert!(h.can_redo());
        assert_eq!(h.redo(back.clone()).unwrap(), current);
        h.undo(current).unwrap();
        h.record(options(Some(JumpKind::Dj)));
        assert!(!h.can_redo(), "a new correction forgets what was undone");
    }
}
