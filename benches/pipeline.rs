//! Criterion benchmarks of the in-process pipeline, `config::load` then `render::render`,
//! with no disk access: the default config, one config with 10,000 default repositories,
//! and 100 configs made from the fixtures with distinct module names.
//!
//! Run with `cargo bench --bench pipeline`. scripts/bench.sh times the whole command line
//! against `terraform fmt -check` instead.

use std::hint::black_box;
use std::path::Path;

use cr_modgen::config;
use cr_modgen::diag::Source;
use cr_modgen::render;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const DEFAULT_CONFIG: &str = include_str!("../fixtures/default/cr.hcl");

/// Builds an HCL config whose `repositories.default` lists `count` names `r00001`, ...
fn repositories_config(count: usize) -> String {
    let mut text = String::from("repositories {\n  default = [\n");
    for index in 1..=count {
        text.push_str(&format!("    \"r{index:05}\",\n"));
    }
    text.push_str("  ]\n}\n");
    text
}

/// Sets the module name of a fixture config to `name`, whether the fixture has no
/// `module` section, one without a name, or one with a name.
fn rename_module(text: &str, json: bool, name: &str) -> String {
    if json {
        let mut value: serde_json::Value = serde_json::from_str(text).expect("fixture is JSON");
        value["module"]["name"] = serde_json::Value::from(name);
        return serde_json::to_string_pretty(&value).expect("JSON serializes");
    }
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    match lines.iter().position(|line| line.starts_with("module {")) {
        None => lines.push(format!("module {{\n  name = \"{name}\"\n}}")),
        Some(start) => {
            let end = start
                + lines[start..]
                    .iter()
                    .position(|line| line.starts_with('}'))
                    .expect("module section is closed");
            let existing = (start + 1..end).find(|&i| lines[i].trim_start().starts_with("name "));
            match existing {
                Some(i) => lines[i] = format!("  name = \"{name}\""),
                None => lines.insert(start + 1, format!("  name = \"{name}\"")),
            }
        }
    }
    lines.join("\n") + "\n"
}

/// Returns `count` sources cycled from the valid fixtures, each with its own module name.
fn fixture_sources(count: usize) -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut fixtures = Vec::new();
    for entry in std::fs::read_dir(&root).expect("fixtures/ exists") {
        let dir = entry.expect("readable fixtures/").path();
        if dir.file_name().is_some_and(|name| name == "invalid") {
            continue;
        }
        for file in ["cr.hcl", "cr.json"] {
            let path = dir.join(file);
            if let Ok(text) = std::fs::read_to_string(&path) {
                fixtures.push((file, text));
            }
        }
    }
    fixtures.sort();
    assert!(
        !fixtures.is_empty(),
        "no fixture configs in {}",
        root.display()
    );
    (0..count)
        .map(|index| {
            let (file, text) = &fixtures[index % fixtures.len()];
            let name = format!("bench-{index:03}");
            let text = rename_module(text, file.ends_with(".json"), &name);
            Source::new(format!("{name}/{file}"), text)
        })
        .collect()
}

fn load_and_render(source: &Source) -> render::Rendered {
    let (config, _warnings) = config::load(source).unwrap_or_else(|report| {
        panic!("benchmark config `{}` is invalid:\n{report}", source.name)
    });
    render::render(&config).expect("render succeeds")
}

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("load_render");

    let default = Source::new("cr.hcl", DEFAULT_CONFIG);
    group.throughput(Throughput::Elements(1));
    group.bench_function("default", |b| {
        b.iter(|| load_and_render(black_box(&default)))
    });

    let repositories = Source::new("cr.hcl", repositories_config(10_000));
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("repositories_10000", |b| {
        b.iter(|| load_and_render(black_box(&repositories)))
    });

    let sources = fixture_sources(100);
    for source in &sources {
        load_and_render(source);
    }
    group.throughput(Throughput::Elements(sources.len() as u64));
    group.bench_function("fixtures_100", |b| {
        b.iter(|| {
            for source in black_box(&sources) {
                black_box(load_and_render(source));
            }
        })
    });

    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
