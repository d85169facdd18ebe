//! How costly a repaint is. On a software rasteriser (Mesa's llvmpipe on a machine without a
//! GPU, a virtual machine, a remote desktop, Xvfb) every repaint fills the whole window on the
//! CPU, about 10-20 ms of it on two cores, taken from the analysis the window is showing.

use std::time::Duration;

use eframe::glow::{self, HasContext};

/// How the window paces itself for the renderer it got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pace {
    /// Background work (progress, new preview frames, finished tasks) repaints at most this
    /// often: one repaint shows whatever arrived meanwhile.
    pub background_repaint: Duration,
    /// Whether egui animates (scroll bars fading in, panels opening): each animation is a
    /// burst of repaints.
    pub animations: bool,
}

impl Pace {
    /// A GPU draws a frame in well under a millisecond of CPU: 20 repaints a second.
    pub const HARDWARE: Self = Self {
        background_repaint: Duration::from_millis(50),
        animations: true,
    };
    /// A software rasteriser: 5 background repaints a second and no animations, so that the
    /// window costs the analysis a few per cent of a core (measured in docs/PERFORMANCE.md).
    pub const SOFTWARE: Self = Self {
        background_repaint: Duration::from_millis(200),
        animations: false,
    };

    /// The pace for the OpenGL context eframe created (`None`: no GL, as in tests).
    pub fn for_context(gl: Option<&glow::Context>) -> Self {
        match gl.map(renderer_name) {
            Some(name) if is_software_renderer(&name) => {
                tracing::info!(
                    "drawing with the software renderer {name}: background repaints every {} ms, no animations",
                    Self::SOFTWARE.background_repaint.as_millis()
                );
                Self::SOFTWARE
            }
            _ => Self::HARDWARE,
        }
    }
}

/// The `GL_RENDERER` string, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)".
#[allow(
    unsafe_code,
    reason = "glow's getters are unsafe because they call into the driver"
)]
fn renderer_name(gl: &glow::Context) -> String {
    // SAFETY: eframe made this context current on this (the main) thread before creating the
    // app, and GL_RENDERER is a constant string query valid on every OpenGL 2+ context.
    unsafe { gl.get_parameter_string(glow::RENDERER) }
}

/// Whether a `GL_RENDERER` string names a rasteriser that runs on the CPU.
fn is_software_renderer(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "llvmpipe",
        "softpipe",
        "swrast",
        "swiftshader",
        "software rasterizer",
        "gdi generic",
    ]
    .iter()
    .any(|s| name.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_rasterisers_are_told_from_gpus() {
        for software in [
            "llvmpipe (LLVM 15.0.6, 256 bits)",
            "softpipe",
            "Google SwiftShader",
            "GDI Generic",
            "Mesa X11 swrast",
        ] {
            assert!(is_software_renderer(software), "{software}");
        }
        for gpu in [
            "Mesa Intel(R) UHD Graphics 620 (KBL GT2)",
            "AMD Radeon Graphics (radeonsi, renoir, LLVM 15.0.6, DRM 3.49)",
            "NVIDIA GeForce RTX 3060/PCIe/SSE2",
            "Apple M2",
        ] {
            assert!(!is_software_renderer(gpu), "{gpu}");
        }
    }
}
