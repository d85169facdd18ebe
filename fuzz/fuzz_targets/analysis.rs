//! Fuzzes the analysis stage: an arbitrary landmark series (any frame times, gaps, NaN and
//! infinite coordinates, any clip facts) goes through `analysis::analyze` and, for each jump
//! found, through a hand correction of takeoff and landing. Nothing may panic or hang, and
//! every number reported must be finite.
#![no_main]

#[path = "../case.rs"]
mod case;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| case::run(&case::decode(data)));
