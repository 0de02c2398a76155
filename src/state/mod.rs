//! Compares a Terraform state with the module a config generates, and writes the `moved`
//! blocks that carry count-keyed repositories over to `for_each` keys. The comparison
//! encodes which arguments force replacement (from the provider sources, alicloud v1.289.0
//! and random v3.9.0), so it can tell kept, moved, replaced and destroyed instances apart
//! before Terraform plans.

mod read;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{json, Value};

pub use read::{parse, Instance, InstanceKey, StateError};

use crate::config::{Config, ConsoleLogin, RepositoryAddressing};

pub const ALICLOUD: &str = "registry.terraform.io/aliyun/alicloud";
pub const RANDOM: &str = "registry.terraform.io/hashicorp/random";

/// The input values to evaluate the generated module with.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// `None` takes the config's default, or else the name recorded in state.
    pub namespace: Option<String>,
    /// `None` takes the config's default, as a caller that does not set it gets.
    pub repositories: Option<Vec<String>>,
}

/// One instance the generated module would manage, with the values of its arguments that
/// force replacement.
#[derive(Debug, Clone)]
struct Expected {
    kind: &'static str,
    name: &'static str,
    key: Option<InstanceKey>,
    provider: &'static str,
    force_new: Vec<(&'static str, Value)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Kept,
    Moved { to: String },
    Replaced { arguments: Vec<ArgumentChange> },
    Destroyed,
    Created,
}

impl Status {
    fn label(&self) -> &'static str {
        match self {
            Status::Kept => "kept",
            Status::Moved { .. } => "moved",
            Status::Replaced { .. } => "replaced",
            Status::Destroyed => "destroyed",
            Status::Created => "created",
        }
    }
}

/// A ForceNew argument whose value in state differs from the generated module's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentChange {
    pub name: String,
    pub state: Value,
    pub module: Value,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub address: String,
    pub status: Status,
    /// The provider recorded in state, when it differs from the module's.
    pub provider_change: Option<(String, String)>,
}

/// The result of `state check`.
#[derive(Debug, Clone)]
pub struct Report {
    pub namespace: String,
    /// Source of the namespace: `--namespace`, the config or the state.
    pub namespace_source: &'static str,
    pub repositories: Vec<String>,
    /// Source of the repository list: `--repositories` or the config.
    pub repositories_source: &'static str,
    pub entries: Vec<Entry>,
}

/// A `moved` block from a file, as plain addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    pub from: String,
    pub to: String,
}

const REPOSITORY_KIND: &str = "alicloud_cr_repo";
const REPOSITORY_NAME: &str = "namespace_repositories";

fn prefix(module: &str) -> String {
    if module.is_empty() {
        String::new()
    } else {
        format!("{module}.")
    }
}

/// Builds the managed instances of the generated module for the given inputs.
fn expected(config: &Config, namespace: &str, repositories: &[String]) -> Vec<Expected> {
    let user = config.ram_user.name.fill(namespace, "");
    let policy = config.ram_policy.name.fill(namespace, "");
    let secret_file = if config.access_key.write_secret_file {
        json!(config.access_key.secret_file.fill(namespace, ""))
    } else {
        Value::Null
    };
    let mut instances = Vec::new();
    let single = |kind, name, provider, force_new| Expected {
        kind,
        name,
        key: None,
        provider,
        force_new,
    };
    let console = matches!(config.console_login, ConsoleLogin::Enabled { .. });
    if console {
        instances.push(single(
            "random_string",
            "cr_console_password",
            RANDOM,
            vec![("length", json!(12)), ("special", json!(false))],
        ));
    }
    instances.push(single(
        "alicloud_cr_namespace",
        "registry_namespace",
        ALICLOUD,
        vec![("name", json!(namespace))],
    ));
    for (index, repository) in repositories.iter().enumerate() {
        let key = match config.repositories.addressing {
            RepositoryAddressing::Count => InstanceKey::Int(index as i64),
            RepositoryAddressing::ForEach => InstanceKey::String(repository.clone()),
        };
        instances.push(Expected {
            kind: REPOSITORY_KIND,
            name: REPOSITORY_NAME,
            key: Some(key),
            provider: ALICLOUD,
            force_new: vec![("namespace", json!(namespace)), ("name", json!(repository))],
        });
    }
    instances.push(single(
        "alicloud_ram_policy",
        "cr_namespace_policy",
        ALICLOUD,
        vec![("policy_name", json!(policy))],
    ));
    instances.push(single(
        "alicloud_ram_user",
        "namespace_user",
        ALICLOUD,
        vec![],
    ));
    if console {
        instances.push(single(
            "alicloud_ram_login_profile",
            "namespace_console_user",
            ALICLOUD,
            vec![("user_name", json!(user))],
        ));
    }
    instances.push(single(
        "alicloud_ram_user_policy_attachment",
        "cr_user_policy_attachment",
        ALICLOUD,
        vec![
            ("policy_name", json!(policy)),
            ("policy_type", json!("Custom")),
            ("user_name", json!(user)),
        ],
    ));
    instances.push(single(
        "alicloud_ram_access_key",
        "cr_ak",
        ALICLOUD,
        vec![
            ("user_name", json!(user)),
            ("secret_file", secret_file),
            (
                "pgp_key",
                config
                    .access_key
                    .pgp_key
                    .as_ref()
                    .map_or(Value::Null, |key| json!(key)),
            ),
        ],
    ));
    instances
}

/// Reads an argument from state. The policy name may sit in the deprecated `name`, which
/// older modules set, and an empty string counts as unset, as the SDK stores it.
fn state_value(instance: &Instance, argument: &str) -> Value {
    let value = instance
        .attributes
        .get(argument)
        .cloned()
        .unwrap_or(Value::Null);
    let value = match (&value, instance.kind.as_str(), argument) {
        (Value::Null, "alicloud_ram_policy", "policy_name") => instance
            .attributes
            .get("name")
            .cloned()
            .unwrap_or(Value::Null),
        _ => value,
    };
    match value {
        Value::String(text) if text.is_empty() => Value::Null,
        other => other,
    }
}

fn force_new_changes(expected: &Expected, instance: &Instance) -> Vec<ArgumentChange> {
    expected
        .force_new
        .iter()
        .filter_map(|(name, module)| {
            let state = state_value(instance, name);
            (state != *module).then(|| ArgumentChange {
                name: (*name).to_owned(),
                state,
                module: module.clone(),
            })
        })
        .collect()
}

/// Returns the namespace recorded in state for the module at `module`.
pub fn recorded_namespace(instances: &[Instance], module: &str) -> Option<String> {
    instances
        .iter()
        .find(|i| i.module == module && i.managed && i.kind == "alicloud_cr_namespace")
        .and_then(|i| i.attribute_str("name").map(str::to_owned))
}

/// Compares the instances in state under `module` with the generated module.
pub fn check(
    config: &Config,
    instances: &[Instance],
    module: &str,
    inputs: &Inputs,
    moves: &[Move],
) -> Report {
    let (namespace, namespace_source) = if let Some(name) = &inputs.namespace {
        (name.clone(), "--namespace")
    } else if let Some(name) = &config.namespace.name {
        (name.to_string(), "the config's default")
    } else {
        let recorded = recorded_namespace(instances, module).unwrap_or_default();
        (recorded, "the state")
    };
    let (repositories, repositories_source) = match &inputs.repositories {
        Some(list) => (list.clone(), "--repositories"),
        None => (
            config
                .repositories
                .defaults
                .iter()
                .map(|n| n.to_string())
                .collect(),
            "the config's default; pass --repositories with the list the caller passes",
        ),
    };
    let expected = expected(config, &namespace, &repositories);
    let address_of = |e: &Expected| {
        let key = e.key.as_ref().map(|k| k.to_string()).unwrap_or_default();
        format!("{}{}.{}{key}", prefix(module), e.kind, e.name)
    };
    let mut by_address: BTreeMap<String, &Expected> =
        expected.iter().map(|e| (address_of(e), e)).collect();

    let mut entries = Vec::new();
    for instance in instances.iter().filter(|i| i.module == module && i.managed) {
        let address = instance.address();
        let (target_address, moved_to) = match moves.iter().find(|m| m.from == address) {
            Some(m) => (m.to.clone(), Some(m.to.clone())),
            None => (address.clone(), None),
        };
        let status = match by_address.remove(&target_address) {
            None => Status::Destroyed,
            Some(expected) => {
                let arguments = force_new_changes(expected, instance);
                if !arguments.is_empty() {
                    Status::Replaced { arguments }
                } else if let Some(to) = moved_to {
                    Status::Moved { to }
                } else {
                    Status::Kept
                }
            }
        };
        let module_provider = expected
            .iter()
            .find(|e| e.kind == instance.kind)
            .map_or(ALICLOUD, |e| e.provider);
        let provider_change = (instance.provider != module_provider)
            .then(|| (instance.provider.clone(), module_provider.to_owned()));
        entries.push(Entry {
            address,
            status,
            provider_change,
        });
    }
    for (address, _) in by_address {
        entries.push(Entry {
            address,
            status: Status::Created,
            provider_change: None,
        });
    }
    Report {
        namespace,
        namespace_source,
        repositories,
        repositories_source,
        entries,
    }
}

impl Report {
    /// Tells whether the switch is safe: nothing is replaced or destroyed, and no move
    /// crosses providers, which Terraform rejects for providers without move support.
    pub fn is_safe(&self) -> bool {
        !self.entries.iter().any(|e| {
            matches!(e.status, Status::Replaced { .. } | Status::Destroyed)
                || self.is_blocked_move(e)
        })
    }

    fn is_blocked_move(&self, entry: &Entry) -> bool {
        matches!(entry.status, Status::Moved { .. }) && entry.provider_change.is_some()
    }

    fn count(&self, label: &str) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status.label() == label)
            .count()
    }

    /// Returns the `terraform state replace-provider` commands needed before the objects
    /// that would be destroyed can be, one per provider change among them.
    pub fn replace_provider_commands(&self) -> Vec<String> {
        let mut commands: Vec<String> = self
            .entries
            .iter()
            .filter(|e| e.status == Status::Destroyed)
            .filter_map(|e| e.provider_change.as_ref())
            .map(|(from, to)| format!("terraform state replace-provider -auto-approve {from} {to}"))
            .collect();
        commands.sort();
        commands.dedup();
        commands
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "inputs: namespace = {:?} (from {}), repositories = {:?} (from {})\n",
            self.namespace, self.namespace_source, self.repositories, self.repositories_source
        );
        for entry in &self.entries {
            let detail = match &entry.status {
                Status::Moved { to } => format!(" -> {to}"),
                Status::Replaced { arguments } => {
                    let changes: Vec<String> = arguments
                        .iter()
                        .map(|a| format!("{}: {} -> {}", a.name, a.state, a.module))
                        .collect();
                    format!(" (forces replacement: {})", changes.join(", "))
                }
                _ => String::new(),
            };
            let _ = writeln!(out, "{:<9} {}{detail}", entry.status.label(), entry.address);
        }
        let mismatched: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| e.provider_change.is_some())
            .collect();
        if let Some(first) = mismatched.first() {
            let (from, to) = first.provider_change.as_ref().expect("filtered");
            let _ = writeln!(
                out,
                "\nprovider: {} instances record {from}, and the module uses {to}. Terraform rebinds the instances that stay in configuration on the next apply, with no changes.",
                mismatched.len()
            );
        }
        if let Some(entry) = self.entries.iter().find(|e| self.is_blocked_move(e)) {
            let (from, to) = entry.provider_change.as_ref().expect("checked");
            let _ = writeln!(
                out,
                "Terraform rejects `moved` blocks between instances of different providers. First apply the module with count addressing, which rebinds the instances to {to}, or run:\n  terraform state replace-provider -auto-approve {from} {to}"
            );
        }
        for command in self.replace_provider_commands() {
            let _ = writeln!(
                out,
                "Objects that would be destroyed still need their old provider. Run this first:\n  {command}"
            );
        }
        let _ = writeln!(
            out,
            "\nsummary: {} kept, {} moved, {} replaced, {} destroyed, {} created",
            self.count("kept"),
            self.count("moved"),
            self.count("replaced"),
            self.count("destroyed"),
            self.count("created")
        );
        out
    }

    pub fn to_json(&self) -> Value {
        let entries: Vec<Value> = self
            .entries
            .iter()
            .map(|entry| {
                let mut object = json!({
                    "address": entry.address,
                    "status": entry.status.label(),
                });
                match &entry.status {
                    Status::Moved { to } => object["to"] = json!(to),
                    Status::Replaced { arguments } => {
                        object["arguments"] = arguments
                            .iter()
                            .map(|a| json!({"name": a.name, "state": a.state, "module": a.module}))
                            .collect();
                    }
                    _ => {}
                }
                if let Some((from, to)) = &entry.provider_change {
                    object["provider"] = json!({"state": from, "module": to});
                }
                object
            })
            .collect();
        json!({
            "namespace": self.namespace,
            "namespace_source": self.namespace_source,
            "repositories": self.repositories,
            "repositories_source": self.repositories_source,
            "safe": self.is_safe(),
            "moves_blocked_by_provider": self.entries.iter().any(|e| self.is_blocked_move(e)),
            "instances": entries,
            "replace_provider_commands": self.replace_provider_commands(),
            "summary": {
                "kept": self.count("kept"),
                "moved": self.count("moved"),
                "replaced": self.count("replaced"),
                "destroyed": self.count("destroyed"),
                "created": self.count("created"),
            },
        })
    }
}

/// Reads `moved` blocks from HCL text, such as the file `state migrate` writes.
pub fn parse_moves(text: &str) -> Result<Vec<Move>, String> {
    let body = hcl::parse(text).map_err(|e| e.to_string())?;
    let mut moves = Vec::new();
    for block in body.blocks().filter(|b| b.identifier() == "moved") {
        let address = |key: &str| -> Result<String, String> {
            let attribute = block
                .body()
                .attributes()
                .find(|a| a.key() == key)
                .ok_or_else(|| format!("a moved block lacks `{key}`"))?;
            Ok(hcl::format::to_string(attribute.expr())
                .map_err(|e| e.to_string())?
                .trim()
                .to_owned())
        };
        moves.push(Move {
            from: address("from")?,
            to: address("to")?,
        });
    }
    Ok(moves)
}

/// Builds one literal `moved` block per count-keyed repository in state, mapping `[i]` to
/// the name recorded for that instance. Names that break Container Registry's rules are
/// returned as errors, because they could not be valid keys.
pub fn migrate(instances: &[Instance], module: &str) -> Result<Vec<Move>, String> {
    let mut moves = Vec::new();
    for instance in instances.iter().filter(|i| {
        i.module == module && i.managed && i.kind == REPOSITORY_KIND && i.name == REPOSITORY_NAME
    }) {
        let Some(InstanceKey::Int(_)) = instance.key else {
            continue;
        };
        let recorded = instance
            .attribute_str("name")
            .ok_or_else(|| format!("{} records no `name`", instance.address()))?;
        let name = crate::config::CrName::new(recorded).map_err(|reason| {
            format!(
                "{} records the name `{recorded}`, which is invalid: {reason}",
                instance.address()
            )
        })?;
        let to = Instance {
            key: Some(InstanceKey::String(name.to_string())),
            ..instance.clone()
        };
        moves.push(Move {
            from: instance.address(),
            to: to.address(),
        });
    }
    moves.sort_by_key(|m| {
        instances
            .iter()
            .position(|i| i.address() == m.from)
            .unwrap_or(usize::MAX)
    });
    Ok(moves)
}
