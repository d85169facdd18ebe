//! ONNX Runtime sessions: created once per model, counted so reuse can be proven.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use ort::ep;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::TensorRef;

use super::PoseError;
use super::models::read_verified;
use crate::runtime;

static SESSIONS_CREATED: AtomicUsize = AtomicUsize::new(0);

/// How many inference sessions this process has created (tests use it to prove reuse).
pub fn sessions_created() -> usize {
    SESSIONS_CREATED.load(Ordering::Relaxed)
}

/// Creates an inference session, configured as the tracker uses it, for a checksum-verified
/// model file (public for benchmarks).
///
/// # Errors
/// A [`PoseError`] if the runtime or the model cannot be loaded, or the checksum differs.
pub fn create(path: &Path, intra_threads: usize) -> Result<Session, PoseError> {
    let env = runtime::environment()?;
    let bytes = read_verified(path)?;
    let threads = intra_threads.max(1);
    let session = Session::builder(env)?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(threads)?
        .with_inter_threads(1)?
        // A spinning pool doubles latency when the decoder occupies the other core.
        .with_intra_op_spinning(false)?
        // Peak RSS is a product target. ONNX Runtime's arena reuses the per-run tensors
        // without fragmenting the heap: 5-12 MB lower peaks than plain malloc at the same
        // speed (3 alternating runs each on the 60 s 1080p60, platform and multi6 clips);
        // memory patterns on top only add a pre-planned block per session.
        .with_memory_pattern(false)?
        .with_execution_providers([ep::CPU::default().with_arena_allocator(true).build()])?
        .commit_from_memory(&bytes)?;
    SESSIONS_CREATED.fetch_add(1, Ordering::Relaxed);
    Ok(session)
}

/// Runs a single-input model on an NHWC tensor and copies the named outputs into `outputs`.
pub(crate) fn run(
    session: &mut Session,
    input: &[f32],
    shape: [usize; 4],
    names: &[&'static str],
    outputs: &mut [Vec<f32>],
) -> Result<(), PoseError> {
    let tensor = TensorRef::from_array_view((shape, input))?;
    let result = session.run(ort::inputs![tensor])?;
    for (name, out) in names.iter().zip(outputs.iter_mut()) {
        let value = result
            .get(name)
            .ok_or_else(|| PoseError::Inference(format!("the model has no output {name}")))?;
        let (_, data) = value.try_extract_tensor::<f32>()?;
        out.clear();
        out.extend_from_slice(data);
    }
    Ok(())
}

/// Runs a model once on a zero input of `input_shape` and lists its outputs with their
/// shapes (for checks and diagnostics).
///
/// # Errors
/// A [`PoseError`] if the runtime or model cannot be loaded or run.
pub fn output_shapes(
    path: &Path,
    input_shape: [usize; 4],
) -> Result<Vec<(String, Vec<i64>)>, PoseError> {
    let mut session = create(path, 1)?;
    let input = vec![0.0f32; input_shape.iter().product()];
    let tensor = TensorRef::from_array_view((input_shape, input.as_slice()))?;
    let outputs = session.run(ort::inputs![tensor])?;
    let mut shapes = Vec::new();
    for (name, value) in &outputs {
        let (shape, _) = value.try_extract_tensor::<f32>()?;
        shapes.push((name.to_owned(), shape.to_vec()));
    }
    Ok(shapes)
}
