//! What the app remembers between runs (eframe storage). Only settings live here, never
//! analysis results: old save files keep loading because every field has a default.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::analysis::JumpKind;
use crate::pose::ModelVariant;
use crate::report::{CsvDialect, CsvHeaders};

/// How many recent files the File menu lists.
pub const MAX_RECENT_FILES: usize = 10;

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Follow the operating system.
    System,
    /// Dark background (the default: video reads better on it).
    #[default]
    Dark,
    /// Light background.
    Light,
}

impl ThemeChoice {
    /// Menu label.
    pub fn label(self) -> &'static str {
        match self {
            Self::System => "Follow system",
            Self::Dark => "Dark",
            Self::Light => "Light",
        }
    }
}

/// Which layers are painted over the video.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent on/off switches, one per overlay layer"
)]
pub struct OverlaySettings {
    /// Bones between landmarks.
    pub bones: bool,
    /// Landmark dots.
    pub joints: bool,
    /// Centre of mass marker.
    pub centre_of_mass: bool,
    /// Current phase name.
    pub phase_label: bool,
}

impl Default for OverlaySettings {
    fn default() -> Self {
        Self {
            bones: true,
            joints: true,
            centre_of_mass: true,
            phase_label: true,
        }
    }
}

/// Persisted settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    /// Pose landmark model.
    pub model: ModelVariant,
    /// Jump kind forced on every jump; `None` classifies automatically.
    pub jump_kind: Option<JumpKind>,
    /// Separators and decimals of exported CSV.
    pub csv_dialect: CsvDialect,
    /// Column names of exported CSV.
    pub csv_headers: CsvHeaders,
    /// Folder of the last opened or saved file, where dialogs start.
    pub last_folder: Option<PathBuf>,
    /// Recently opened videos, newest first.
    pub recent_files: Vec<PathBuf>,
    /// Overlay layers.
    pub overlay: OverlaySettings,
    /// Colour theme.
    pub theme: ThemeChoice,
}

impl Settings {
    /// Puts `path` first in the recent files and remembers its folder.
    pub fn remember_file(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_path_buf());
        self.recent_files.truncate(MAX_RECENT_FILES);
        self.remember_folder(path);
    }

    /// Remembers the folder of `path` for the next dialog.
    pub fn remember_folder(&mut self, path: &Path) {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            self.last_folder = Some(dir.to_path_buf());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_unique_newest_first_and_bounded() {
        let mut s = Settings::default();
        for i in 0..12 {
            s.remember_file(Path::new(&format!("/clips/{i}.mp4")));
        }
        s.remember_file(Path::new("/clips/5.mp4"));
        assert_eq!(s.recent_files.len(), MAX_RECENT_FILES);
        assert_eq!(s.recent_files[0], Path::new("/clips/5.mp4"));
        assert_eq!(
            s.recent_files
                .iter()
                .filter(|p| p.ends_with("5.mp4"))
                .count(),
            1
        );
        assert_eq!(s.last_folder.as_deref(), Some(Path::new("/clips")));
    }

    #[test]
    fn old_or_partial_settings_still_load() {
        let s: Settings =
            serde_json::from_str(r#"{"model":"full","overlay":{"bones":false}}"#).unwrap();
        assert_eq!(s.model, ModelVariant::Full);
        assert!(!s.overlay.bones && s.overlay.joints);
        assert_eq!(s.theme, ThemeChoice::Dark);
    }
}
