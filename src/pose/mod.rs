//! Pose tracking with MediaPipe BlazePose through ONNX Runtime: a detector finds the person,
//! a landmark model tracks 33 body points from frame to frame.

mod detector;
mod error;
mod landmarks;
mod models;
mod roi;
mod session;
mod tracker;

pub use detector::{Detection, anchors};
pub use error::PoseError;
pub use landmarks::{
    BodySide, LANDMARK_COUNT, LANDMARK_NAMES, Landmark, PoseFrame, SKELETON_BONES, SKELETON_JOINTS,
    WorldLandmark, body_side, bone_side, landmark,
};
pub use models::{
    DETECTOR_FILE, MODEL_FILES, MODELS_DIR_ENV, ModelVariant, find_models, models_dir,
    verify as verify_model,
};
pub use roi::Roi;
pub use session::{create as create_session, output_shapes, sessions_created};
pub use tracker::{TRACKER_VERSION, Tracker, TrackerOptions, TrackingState, identity};
