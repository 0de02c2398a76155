//! The emulated cloud: a JSON file of objects keyed by resource type, then by id.
//!
//! Each provider process opens the file for every operation under an exclusive
//! `flock` on `<file>.lock`, because Terraform runs operations in parallel and starts
//! one process per provider address.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;

use anyhow::{anyhow, Context, Result};
use fs2::FileExt;
use serde_json::Value as Json;

/// Environment variable that names the cloud file.
pub const CLOUD_ENV: &str = "PROVIDER_SIM_CLOUD";

/// Objects by resource type, then by id.
pub type CloudData = BTreeMap<String, BTreeMap<String, Json>>;

pub fn cloud_path() -> Result<PathBuf> {
    match std::env::var_os(CLOUD_ENV) {
        Some(path) if !path.is_empty() => Ok(PathBuf::from(path)),
        _ => Err(anyhow!(
            "environment variable {CLOUD_ENV} is not set: set it to the path of the JSON file \
             that holds the emulated cloud objects (it is created when missing)"
        )),
    }
}

/// Runs `operation` on the cloud contents under the file lock, and writes the contents
/// back when the operation succeeds.
pub fn with_cloud<T>(operation: impl FnOnce(&mut CloudData) -> Result<T>) -> Result<T> {
    let path = cloud_path()?;
    let lock_path = path.with_extension("lock");
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("failed to open lock file {}", lock_path.display()))?;
    lock.lock_exclusive()
        .with_context(|| format!("failed to lock {}", lock_path.display()))?;

    let mut data: CloudData = match fs::read_to_string(&path) {
        Ok(text) if text.trim().is_empty() => CloudData::new(),
        Ok(text) => serde_json::from_str(&text)
            .with_context(|| format!("cloud file {} is not valid JSON", path.display()))?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => CloudData::new(),
        Err(err) => {
            return Err(err).with_context(|| format!("failed to read {}", path.display()));
        }
    };
    let before = data.clone();
    let result = operation(&mut data)?;
    if data != before || !path.exists() {
        data.retain(|_, objects| !objects.is_empty());
        write_atomically(&path, &data)?;
    }
    // The lock is released when `lock` is dropped.
    Ok(result)
}

fn write_atomically(path: &PathBuf, data: &CloudData) -> Result<()> {
    let mut text = serde_json::to_string_pretty(data)?;
    text.push('\n');
    let temp = path.with_extension("tmp");
    let mut file =
        File::create(&temp).with_context(|| format!("failed to create {}", temp.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    fs::rename(&temp, path).with_context(|| format!("failed to replace {}", path.display()))?;
    Ok(())
}
