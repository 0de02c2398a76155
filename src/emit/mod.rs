//! Emitters that print the IR as Terraform files.

pub mod hcl;
pub mod json;
