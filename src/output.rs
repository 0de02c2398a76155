//! Compares a rendered module with the output directory and writes what changed. Files are
//! written atomically (a temporary file in the same directory, then a rename), so a killed
//! run leaves each file either old or new. Files without cr-modgen's header are never
//! overwritten unless forced.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Component, Path, PathBuf};

use similar::TextDiff;

use crate::docs;
use crate::render::{Rendered, HEADER_MARK, README};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Create,
    Update,
    /// A file that an earlier run generated and this one no longer does.
    Remove,
}

#[derive(Debug, Clone)]
pub struct FileChange {
    pub path: String,
    pub change: Change,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// The changes a run would make in the output directory.
#[derive(Debug, Clone)]
pub struct Plan {
    pub out_dir: PathBuf,
    pub changes: Vec<FileChange>,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("failed to read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("failed to write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("output path `{}` exists and is not a directory", path.display())]
    NotADirectory { path: PathBuf },
    #[error("refusing to write through the symbolic link `{}`; replace it with a directory or file, or choose another --out", path.display())]
    Symlink { path: PathBuf },
    #[error("refusing to overwrite files that cr-modgen did not write: {}; move them away or pass --force", list(paths))]
    NotOurs { paths: Vec<String> },
    #[error("refusing to generate into `{}`, which is not empty and holds no module that cr-modgen wrote (found {}); choose an empty directory or pass --force", path.display(), list(entries))]
    NotAModule { path: PathBuf, entries: Vec<String> },
}

fn list(paths: &[String]) -> String {
    paths
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Tells whether a file's text starts with cr-modgen's header, as HCL, Go or JSON.
pub fn is_generated(text: &str) -> bool {
    let first = text.lines().next().unwrap_or("");
    let comment = first
        .strip_prefix("# ")
        .or_else(|| first.strip_prefix("// "));
    if comment.is_some_and(|c| c.starts_with(HEADER_MARK)) {
        return true;
    }
    let json_header = format!("{{\n  \"//\": \"{HEADER_MARK}");
    text.starts_with(&json_header)
}

fn read_existing(path: &Path) -> Result<Option<String>, OutputError> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(OutputError::Symlink {
            path: path.to_owned(),
        }),
        Ok(meta) if meta.is_dir() => Err(OutputError::NotADirectory {
            path: path.to_owned(),
        }),
        Ok(_) => fs::read(path)
            .map(|bytes| Some(String::from_utf8_lossy(&bytes).into_owned()))
            .map_err(|source| OutputError::Read {
                path: path.to_owned(),
                source,
            }),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(OutputError::Read {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Rejects a relative path that would leave the output directory, and symbolic links on
/// the way to it.
fn check_path(out_dir: &Path, relative: &str) -> Result<PathBuf, OutputError> {
    let mut current = out_dir.to_owned();
    for component in Path::new(relative).components() {
        match component {
            Component::Normal(part) => current.push(part),
            _ => {
                return Err(OutputError::Write {
                    path: out_dir.join(relative),
                    source: io::Error::new(
                        io::ErrorKind::InvalidInput,
                        "path leaves the output directory",
                    ),
                })
            }
        }
        if let Ok(meta) = fs::symlink_metadata(&current) {
            if meta.file_type().is_symlink() {
                return Err(OutputError::Symlink { path: current });
            }
        }
    }
    Ok(current)
}

/// Compares `rendered` with `out_dir`. With `force`, files that cr-modgen did not write may
/// be overwritten; without it they are an error.
pub fn plan(out_dir: &Path, rendered: &Rendered, force: bool) -> Result<Plan, OutputError> {
    match fs::metadata(out_dir) {
        Ok(meta) if !meta.is_dir() => {
            return Err(OutputError::NotADirectory {
                path: out_dir.to_owned(),
            })
        }
        _ => {}
    }
    if !force {
        check_not_foreign_directory(out_dir)?;
    }
    let mut changes = Vec::new();
    let mut unchanged = 0;
    let mut foreign = Vec::new();
    for (relative, text) in &rendered.files {
        let path = check_path(out_dir, relative)?;
        let old = read_existing(&path)?;
        let new = match (relative.as_str(), &old) {
            (README, Some(existing)) => {
                let updated = match docs::replace_region(existing, &rendered.readme_region) {
                    Some(updated) => updated,
                    None if force => format!("{existing}\n{}", rendered.readme_region),
                    None => {
                        foreign.push(relative.clone());
                        continue;
                    }
                };
                // The prose region is optional: a README whose owner removed its markers
                // keeps that text as it is.
                docs::replace_marked(
                    &updated,
                    docs::BODY_BEGIN,
                    docs::BODY_END,
                    &rendered.readme_body,
                )
                .unwrap_or(updated)
            }
            // The LICENSE is written once: its owner may add a copyright line, as the
            // Apache License asks, and regeneration keeps it.
            ("LICENSE", Some(existing)) => existing.clone(),
            _ => text.clone(),
        };
        match &old {
            Some(old) if *old == new => unchanged += 1,
            Some(old) => {
                let owned = relative == README || is_generated(old);
                if !owned && !force {
                    foreign.push(relative.clone());
                    continue;
                }
                changes.push(FileChange {
                    path: relative.clone(),
                    change: Change::Update,
                    old: Some(old.clone()),
                    new: Some(new),
                });
            }
            None => changes.push(FileChange {
                path: relative.clone(),
                change: Change::Create,
                old: None,
                new: Some(new),
            }),
        }
    }
    if !foreign.is_empty() {
        return Err(OutputError::NotOurs { paths: foreign });
    }
    changes.extend(stale_files(out_dir, rendered)?);
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Plan {
        out_dir: out_dir.to_owned(),
        changes,
        unchanged,
    })
}

/// Rejects a non-empty directory without any top-level file that cr-modgen wrote, such as
/// a home directory given to `--out` by mistake. Version control metadata (`.git`) does not
/// count, so a fresh repository clone is accepted.
fn check_not_foreign_directory(out_dir: &Path) -> Result<(), OutputError> {
    let Ok(entries) = fs::read_dir(out_dir) else {
        return Ok(());
    };
    let mut foreign = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == ".git" {
            continue;
        }
        let path = entry.path();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file {
            if let Ok(text) = fs::read_to_string(&path) {
                if is_generated(&text) || (name == README && text.contains(docs::BEGIN)) {
                    return Ok(());
                }
            }
        }
        foreign.push(name);
    }
    if foreign.is_empty() {
        return Ok(());
    }
    foreign.sort();
    foreign.truncate(5);
    Err(OutputError::NotAModule {
        path: out_dir.to_owned(),
        entries: foreign,
    })
}

/// Finds generated files that the new render no longer contains, such as `main.tf` after a
/// switch to JSON output. Only files carrying cr-modgen's header are candidates.
fn stale_files(out_dir: &Path, rendered: &Rendered) -> Result<Vec<FileChange>, OutputError> {
    let mut stale = Vec::new();
    if !out_dir.is_dir() {
        return Ok(stale);
    }
    let walker = walkdir::WalkDir::new(out_dir)
        .max_depth(4)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !(entry.file_type().is_dir()
                    && entry.file_name().to_string_lossy().starts_with('.'))
        });
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let candidate = [".tf", ".tf.json", ".go", ".hcl", ".mod"]
            .iter()
            .any(|ext| name.ends_with(ext))
            || name == ".gitignore";
        if !candidate {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(out_dir) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if rendered.files.contains_key(&relative) {
            continue;
        }
        let Some(old) = read_existing(entry.path())? else {
            continue;
        };
        if is_generated(&old) {
            stale.push(FileChange {
                path: relative,
                change: Change::Remove,
                old: Some(old),
                new: None,
            });
        }
    }
    Ok(stale)
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Renders the changes as a unified diff, `a/` for the directory and `b/` for the
    /// generated module.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for change in &self.changes {
            let old = change.old.as_deref().unwrap_or("");
            let new = change.new.as_deref().unwrap_or("");
            let old_name = match change.change {
                Change::Create => "/dev/null".to_owned(),
                _ => format!("a/{}", change.path),
            };
            let new_name = match change.change {
                Change::Remove => "/dev/null".to_owned(),
                _ => format!("b/{}", change.path),
            };
            let diff = TextDiff::from_lines(old, new);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&old_name, &new_name)
                    .missing_newline_hint(true)
                    .to_string(),
            );
        }
        out
    }

    /// Writes every change. Each file goes to a temporary file beside it first, which is
    /// flushed to disk and then renamed over the target.
    pub fn apply(&self) -> Result<(), OutputError> {
        for change in &self.changes {
            let path = self.out_dir.join(&change.path);
            match &change.new {
                Some(text) => write_atomic(&path, text.as_bytes())?,
                None => fs::remove_file(&path).map_err(|source| OutputError::Write {
                    path: path.clone(),
                    source,
                })?,
            }
        }
        Ok(())
    }
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let error = |source| OutputError::Write {
        path: path.to_owned(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(error)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.cr-modgen-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result.map_err(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_headers() {
        assert!(is_generated(&format!("# {HEADER_MARK} x\n")));
        assert!(is_generated(&format!("// {HEADER_MARK} x\n")));
        assert!(is_generated(&format!(
            "{{\n  \"//\": \"{HEADER_MARK} x\",\n"
        )));
        assert!(!is_generated("# my own file\n"));
        assert!(!is_generated(&format!("\n# {HEADER_MARK}\n")));
    }
}
