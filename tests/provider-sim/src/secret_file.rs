//! Files the provider writes next to the configuration: `secret_file` of an access key
//! and `output_file` of a data source.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::Value as Json;

/// Mode the provider passes when it creates these files: decimal 422, before the umask.
const FILE_MODE: u32 = 0o646;

/// Expands a leading `~` to `$HOME`, as the provider does. A relative path stays
/// relative to the provider process's working directory, which is Terraform's.
fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix('~'), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => {
            let mut expanded = PathBuf::from(home);
            expanded.push(rest.trim_start_matches('/'));
            expanded
        }
        _ => PathBuf::from(path),
    }
}

/// Writes `value` as tab-indented JSON, removing an existing file first.
pub fn write_json_file(path: &str, value: &Json) -> std::io::Result<()> {
    let path = expand_home(path);
    if path.exists() {
        fs::remove_file(&path)?;
    }
    let mut text = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut serializer = serde_json::Serializer::with_formatter(&mut text, formatter);
    value.serialize(&mut serializer)?;
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(&path)?;
    file.write_all(&text)
}

/// Writes the access key object in the layout of the RAM API's `AccessKey` response.
pub fn write_secret_file(
    path: &str,
    access_key_id: &str,
    secret: &str,
    status: &str,
    create_date: &str,
) -> std::io::Result<()> {
    let mut key = serde_json::Map::new();
    key.insert("AccessKeyId".into(), Json::from(access_key_id));
    key.insert("AccessKeySecret".into(), Json::from(secret));
    key.insert("Status".into(), Json::from(status));
    key.insert("CreateDate".into(), Json::from(create_date));
    write_json_file(path, &Json::Object(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_file_is_tab_indented_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ak.json");
        let path = path.to_str().unwrap();
        fs::write(path, "old").unwrap();
        write_secret_file(path, "LTAIX", "s3cret", "Active", "2026-01-01T00:00:00Z").unwrap();
        let text = fs::read_to_string(path).unwrap();
        assert!(
            text.starts_with("{\n\t\"AccessKeyId\": \"LTAIX\""),
            "{text}"
        );
        let parsed: Json = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["AccessKeySecret"], "s3cret");
    }
}
