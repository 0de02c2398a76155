//! cr-modgen compiles a typed config into a Terraform module for Alibaba Cloud Container
//! Registry. Stages: `raw` (parse with spans) -> `config` (check and lower) -> `module`
//! (build the Terraform IR) -> `emit` (HCL or JSON) and `render` (all files) -> `output`
//! (compare and write).

pub mod batch;
pub mod cli;
pub mod config;
pub mod diag;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod module;
pub mod output;
pub mod raw;
pub mod render;
pub mod state;
mod state_cli;
pub mod suites;
