//! Lowers the raw tree into a `Config`, collecting every problem instead of stopping at the
//! first one.

use unicode_normalization::UnicodeNormalization;

use super::names::{CrName, CR_NAME_MAX, CR_NAME_RULE};
use super::pattern::{Pattern, Placeholder};
use super::{
    Config, ConsoleLogin, Format, OutputName, ProviderShape, RepositoryAddressing, Visibility,
};
use crate::diag::{closest, Diagnostic};
use crate::raw::{Entry, Node, Span, Value};

/// Oldest alicloud provider that has every resource and argument the module uses:
/// `policy_name` and `policy_document` of `alicloud_ram_policy` arrived in 1.114.0.
const ALICLOUD_MIN: (u64, u64, u64) = (1, 114, 0);

/// RAM limits from the provider documentation: user names up to 64 characters, policy
/// names up to 128, user comments up to 128 bytes (a provider-side check).
const RAM_USER_NAME_MAX: usize = 64;
const RAM_POLICY_NAME_MAX: usize = 128;
const RAM_USER_COMMENTS_MAX: usize = 128;
/// The provider checks summaries for 1 to 100 bytes; its documentation says 80.
const SUMMARY_MAX: usize = 100;
const SUMMARY_DOCUMENTED_MAX: usize = 80;

const TOP_KEYS: &[&str] = &[
    "module",
    "versions",
    "format",
    "provider_shape",
    "namespace",
    "repositories",
    "ram_user",
    "ram_policy",
    "console_login",
    "access_key",
    "outputs",
];

/// Lowers `tree` into a config. The config is `None` when the tree is not an object at all;
/// otherwise it is returned with the diagnostics, which may hold errors.
pub fn lower(tree: &Node, file_name: Option<String>) -> (Option<Config>, Vec<Diagnostic>) {
    let mut lowerer = Lowerer {
        diagnostics: Vec::new(),
    };
    let config = lowerer.config(tree, file_name);
    (config, lowerer.diagnostics)
}

struct Lowerer {
    diagnostics: Vec<Diagnostic>,
}

/// The members of one object, checked against its known keys.
struct Section<'a> {
    name: &'a str,
    entries: Vec<&'a Entry>,
}

impl<'a> Section<'a> {
    fn get(&self, key: &str) -> Option<&'a Entry> {
        self.entries.iter().copied().find(|e| e.key == key)
    }
}

impl Lowerer {
    fn error(&mut self, span: Span, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(span, message));
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// Checks that `node` is an object whose keys are all known and unique.
    fn section<'a>(
        &mut self,
        node: &'a Node,
        name: &'a str,
        known: &[&str],
    ) -> Option<Section<'a>> {
        let Value::Object(entries) = &node.value else {
            if node.value == Value::Invalid {
                return None;
            }
            let found = node.value.type_name();
            let diagnostic = if name.is_empty() {
                Diagnostic::error(
                    node.span.clone(),
                    format!("the config must be an object, found {found}"),
                )
                .with_help("write keys at the top level, or `{ ... }` in JSON")
            } else {
                Diagnostic::error(
                    node.span.clone(),
                    format!("`{name}` must be an object, found {found}"),
                )
                .with_help(format!("write `{name} {{ ... }}`"))
            };
            self.push(diagnostic);
            return None;
        };
        let mut kept: Vec<&Entry> = Vec::new();
        for entry in entries {
            if !known.contains(&entry.key.as_str()) {
                let place = if name.is_empty() {
                    "at the top level".to_owned()
                } else {
                    format!("in `{name}`")
                };
                let mut diagnostic = Diagnostic::error(
                    entry.key_span.clone(),
                    format!("unknown key `{}` {place}", entry.key),
                );
                diagnostic = match closest(&entry.key, known.iter().copied()) {
                    Some(suggestion) => {
                        diagnostic.with_help(format!("did you mean `{suggestion}`?"))
                    }
                    None => diagnostic.with_help(format!(
                        "valid keys are {}",
                        known
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                self.push(diagnostic);
                continue;
            }
            if kept.iter().any(|e| e.key == entry.key) {
                self.error(
                    entry.key_span.clone(),
                    format!("duplicate key `{}`; each key may appear once", entry.key),
                );
                continue;
            }
            kept.push(entry);
        }
        Some(Section {
            name,
            entries: kept,
        })
    }

    fn type_error(&mut self, entry: &Entry, expected: &str) {
        if entry.value.value == Value::Invalid {
            return;
        }
        self.error(
            entry.value.span.clone(),
            format!(
                "`{}` must be {expected}, found {}",
                entry.key,
                entry.value.value.type_name()
            ),
        );
    }

    fn string(&mut self, section: &Section, key: &str) -> Option<(String, Span)> {
        let entry = section.get(key)?;
        match &entry.value.value {
            Value::String(text) => Some((text.nfc().collect(), entry.value.span.clone())),
            _ => {
                self.type_error(entry, "a string");
                None
            }
        }
    }

    fn bool(&mut self, section: &Section, key: &str) -> Option<bool> {
        let entry = section.get(key)?;
        match entry.value.value {
            Value::Bool(value) => Some(value),
            _ => {
                self.type_error(entry, "a bool (`true` or `false`)");
                None
            }
        }
    }

    /// Reads a string that must be one of `choices`, matched exactly.
    fn choice<T: Copy>(
        &mut self,
        section: &Section,
        key: &str,
        choices: &[(&str, T)],
    ) -> Option<T> {
        let (text, span) = self.string(section, key)?;
        if let Some((_, value)) = choices.iter().find(|(name, _)| *name == text) {
            return Some(*value);
        }
        let names: Vec<String> = choices.iter().map(|(n, _)| format!("`{n}`")).collect();
        self.push(
            Diagnostic::error(span, format!("invalid {key} `{}`", text.escape_debug()))
                .with_help(format!("use one of {}", names.join(", "))),
        );
        None
    }

    fn pattern(
        &mut self,
        section: &Section,
        key: &str,
        allowed: &[Placeholder],
    ) -> Option<(Pattern, Span)> {
        let (text, span) = self.string(section, key)?;
        match Pattern::parse(&text, allowed) {
            Ok(pattern) => Some((pattern, span)),
            Err(error) => {
                self.push(Diagnostic::error(
                    span.clone(),
                    format!(
                        "invalid pattern in `{}.{key}`: {}",
                        section.name, error.message
                    ),
                ));
                None
            }
        }
    }

    fn config(&mut self, tree: &Node, file_name: Option<String>) -> Option<Config> {
        let top = self.section(tree, "", TOP_KEYS)?;
        let mut config = Config {
            file_name,
            ..Config::default()
        };

        if let Some(entry) = top.get("module") {
            self.module(&entry.value, &mut config);
        }
        if let Some(entry) = top.get("versions") {
            self.versions(&entry.value, &mut config);
        }
        if let Some(format) = self.choice(
            &top,
            "format",
            &[("hcl", Format::Hcl), ("json", Format::Json)],
        ) {
            config.format = format;
        }
        if let Some(shape) = self.choice(
            &top,
            "provider_shape",
            &[
                ("module", ProviderShape::Module),
                ("caller", ProviderShape::Caller),
            ],
        ) {
            config.provider_shape = shape;
        }
        if let Some(entry) = top.get("namespace") {
            self.namespace(&entry.value, &mut config);
        }
        if let Some(entry) = top.get("repositories") {
            self.repositories(&entry.value, &mut config);
        }
        if let Some(entry) = top.get("ram_user") {
            self.ram_user(&entry.value, &mut config);
        }
        if let Some(entry) = top.get("ram_policy") {
            self.ram_policy(&entry.value, &mut config);
        }
        if let Some(entry) = top.get("console_login") {
            self.console_login(&entry.value, &mut config);
        }
        if let Some(entry) = top.get("access_key") {
            self.access_key(&entry.value, &mut config);
        }
        let outputs = top.get("outputs");
        match outputs {
            Some(entry) => self.outputs(entry, &mut config),
            None => {
                if config.console_login == ConsoleLogin::Disabled {
                    config.outputs.retain(|o| !o.needs_console_login());
                }
                if config.access_key.pgp_key.is_some() {
                    config
                        .outputs
                        .extend([OutputName::EncryptedSecret, OutputName::KeyFingerprint]);
                }
            }
        }
        Some(config)
    }

    fn module(&mut self, node: &Node, config: &mut Config) {
        let known = ["namespace", "name", "provider", "version", "description"];
        let Some(section) = self.section(node, "module", &known) else {
            return;
        };
        for key in ["namespace", "name"] {
            if let Some((text, span)) = self.string(&section, key) {
                let valid = !text.is_empty()
                    && text.len() <= 64
                    && text
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && !text.starts_with(['-', '_']);
                if !valid {
                    self.push(
                        Diagnostic::error(span, format!("invalid module {key} `{}`", text.escape_debug()))
                            .with_help("use 1 to 64 ASCII letters, digits, `-` and `_`, starting with a letter or digit, as the Terraform Registry requires"),
                    );
                } else if key == "namespace" {
                    config.module.namespace = text;
                } else {
                    config.module.name = text.to_ascii_lowercase();
                    if config.module.name != text {
                        self.push(
                            Diagnostic::error(
                                span,
                                format!("module name `{text}` must be lowercase"),
                            )
                            .with_help(format!("use `{}`", text.to_ascii_lowercase())),
                        );
                    }
                }
            }
        }
        if let Some((text, span)) = self.string(&section, "provider") {
            if text == "alicloud" {
                config.module.provider = text;
            } else {
                self.push(
                    Diagnostic::error(
                        span,
                        format!("invalid module provider `{}`", text.escape_debug()),
                    )
                    .with_help(
                        "the generated module uses the alicloud provider, so use `alicloud`",
                    ),
                );
            }
        }
        if let Some((text, span)) = self.string(&section, "version") {
            if parse_version(&text).is_some() {
                config.module.version = text;
            } else {
                self.push(
                    Diagnostic::error(
                        span,
                        format!("invalid module version `{}`", text.escape_debug()),
                    )
                    .with_help("use a semantic version such as `1.3.0`"),
                );
            }
        }
        if let Some((text, span)) = self.string(&section, "description") {
            if text.trim().is_empty() || text.contains('\n') {
                self.push(
                    Diagnostic::error(span, "the module description must be one non-empty line")
                        .with_help("the registry shows it as the module's short description"),
                );
            } else {
                config.module.description = text;
            }
        }
    }

    fn versions(&mut self, node: &Node, config: &mut Config) {
        let known = ["terraform", "alicloud", "random"];
        let Some(section) = self.section(node, "versions", &known) else {
            return;
        };
        for key in known {
            let Some((text, span)) = self.string(&section, key) else {
                continue;
            };
            let Some(lower_bound) = parse_constraint(&text) else {
                self.push(
                    Diagnostic::error(
                        span,
                        format!("invalid version constraint `{}`", text.escape_debug()),
                    )
                    .with_help(
                        "use comma-separated clauses such as `>= 1.114.0` or `>= 1.114.0, < 2.0.0`",
                    ),
                );
                continue;
            };
            if key == "alicloud" && lower_bound.is_none_or(|v| v < ALICLOUD_MIN) {
                self.push(
                    Diagnostic::error(span, format!("alicloud constraint `{text}` allows versions older than 1.114.0"))
                        .with_help("the module uses `policy_name` and `policy_document` of alicloud_ram_policy, added in 1.114.0; use `>= 1.114.0` or newer"),
                );
                continue;
            }
            match key {
                "terraform" => config.versions.terraform = text,
                "alicloud" => config.versions.alicloud = text,
                _ => config.versions.random = text,
            }
        }
    }

    fn namespace(&mut self, node: &Node, config: &mut Config) {
        let Some(section) = self.section(
            node,
            "namespace",
            &["name", "visibility", "repo_autocreate"],
        ) else {
            return;
        };
        if let Some((text, span)) = self.string(&section, "name") {
            match CrName::new(&text) {
                Ok(name) => config.namespace.name = Some(name),
                Err(reason) => self.push(
                    Diagnostic::error(
                        span,
                        format!("invalid namespace name `{}`: {reason}", text.escape_debug()),
                    )
                    .with_help(format!("use {CR_NAME_RULE}")),
                ),
            }
        }
        if let Some(visibility) = self.visibility(&section) {
            config.namespace.visibility = visibility;
        }
        if let Some(value) = self.bool(&section, "repo_autocreate") {
            config.namespace.repo_autocreate = value;
        }
    }

    fn visibility(&mut self, section: &Section) -> Option<Visibility> {
        self.choice(
            section,
            "visibility",
            &[
                ("PRIVATE", Visibility::Private),
                ("PUBLIC", Visibility::Public),
            ],
        )
    }

    fn repositories(&mut self, node: &Node, config: &mut Config) {
        let known = ["addressing", "default", "visibility", "summary"];
        let Some(section) = self.section(node, "repositories", &known) else {
            return;
        };
        if let Some(addressing) = self.choice(
            &section,
            "addressing",
            &[
                ("count", RepositoryAddressing::Count),
                ("for_each", RepositoryAddressing::ForEach),
            ],
        ) {
            config.repositories.addressing = addressing;
        }
        if let Some(entry) = section.get("default") {
            if let Some(names) = self.repository_names(entry) {
                config.repositories.defaults = names;
            }
        }
        if let Some(visibility) = self.visibility(&section) {
            config.repositories.visibility = visibility;
        }
        let both = [Placeholder::Namespace, Placeholder::Repository];
        if let Some((summary, span)) = self.pattern(&section, "summary", &both) {
            let longest = summary.max_len(CR_NAME_MAX);
            // The documented limit is checked against the configured repositories, with
            // the longest namespace, since the summary can be changed in place later.
            let longest_default = config
                .repositories
                .defaults
                .iter()
                .map(|name| name.as_str().len())
                .max();
            let typical = longest_default.map(|repository| {
                summary
                    .fill(&"n".repeat(CR_NAME_MAX), &"r".repeat(repository))
                    .len()
            });
            if summary.parts().is_empty() {
                self.error(span, "the repository summary must not be empty");
            } else if longest > SUMMARY_MAX {
                self.push(
                    Diagnostic::error(span, format!("the repository summary can reach {longest} bytes, over the provider's limit of {SUMMARY_MAX}"))
                        .with_help("shorten the literal text; each placeholder counts as 30 characters"),
                );
            } else {
                if let Some(typical) = typical.filter(|&t| t > SUMMARY_DOCUMENTED_MAX) {
                    self.push(
                        Diagnostic::warning(span, format!("the repository summary reaches {typical} bytes for the default repositories, over the {SUMMARY_DOCUMENTED_MAX} that the provider documentation gives"))
                            .with_help("the provider accepts up to 100 bytes; a shorter summary can be changed in place later"),
                    );
                }
                config.repositories.summary = summary;
            }
        }
    }

    fn repository_names(&mut self, entry: &Entry) -> Option<Vec<CrName>> {
        let Value::Array(items) = &entry.value.value else {
            self.type_error(entry, "a list of strings");
            return None;
        };
        let mut names: Vec<CrName> = Vec::new();
        let mut seen: std::collections::HashSet<CrName> = std::collections::HashSet::new();
        let mut ok = true;
        for item in items {
            let Value::String(text) = &item.value else {
                if item.value != Value::Invalid {
                    self.error(
                        item.span.clone(),
                        format!(
                            "repository names must be strings, found {}",
                            item.value.type_name()
                        ),
                    );
                }
                ok = false;
                continue;
            };
            match CrName::new(text) {
                Ok(name) if !seen.insert(name.clone()) => {
                    self.push(
                        Diagnostic::error(
                            item.span.clone(),
                            format!("duplicate repository `{name}`"),
                        )
                        .with_help("list each repository once"),
                    );
                    ok = false;
                }
                Ok(name) => names.push(name),
                Err(reason) => {
                    self.push(
                        Diagnostic::error(
                            item.span.clone(),
                            format!(
                                "invalid repository name `{}`: {reason}",
                                text.escape_debug()
                            ),
                        )
                        .with_help(format!("use {CR_NAME_RULE}")),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(names)
    }

    fn ram_user(&mut self, node: &Node, config: &mut Config) {
        let Some(section) = self.section(node, "ram_user", &["name", "display_name", "comments"])
        else {
            return;
        };
        let ns = [Placeholder::Namespace];
        if let Some((name, span)) = self.pattern(&section, "name", &ns) {
            if self.check_derived_name(&name, span, "RAM user name", RAM_USER_NAME_MAX) {
                config.ram_user.name = name;
            }
        }
        if let Some((display_name, span)) = self.pattern(&section, "display_name", &ns) {
            if display_name.parts().is_empty() {
                self.error(span, "the RAM user display name must not be empty");
            } else {
                config.ram_user.display_name = display_name;
            }
        }
        if let Some((comments, span)) = self.pattern(&section, "comments", &ns) {
            let longest = comments.max_len(CR_NAME_MAX);
            if longest > RAM_USER_COMMENTS_MAX {
                self.push(
                    Diagnostic::error(span, format!("the RAM user comments can reach {longest} bytes, over the provider's limit of {RAM_USER_COMMENTS_MAX}"))
                        .with_help("shorten the literal text; `{namespace}` counts as 30 characters"),
                );
            } else {
                config.ram_user.comments = comments;
            }
        }
    }

    /// Checks a RAM name pattern: it must contain `{namespace}` so that names stay unique
    /// per namespace, use only `A-Z a-z 0-9 . _ -` around it, and stay within `max`.
    fn check_derived_name(
        &mut self,
        pattern: &Pattern,
        span: Span,
        what: &str,
        max: usize,
    ) -> bool {
        if !pattern.contains(Placeholder::Namespace) {
            self.push(
                Diagnostic::error(
                    span,
                    format!("the {what} pattern must contain `{{namespace}}`"),
                )
                .with_help(
                    "each namespace needs its own RAM names, or two modules would fight over one",
                ),
            );
            return false;
        }
        let literal = pattern.literal_text();
        if let Some(bad) = literal
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            self.push(
                Diagnostic::error(
                    span,
                    format!("`{}` is not allowed in the {what}", bad.escape_debug()),
                )
                .with_help("use ASCII letters, digits, `-`, `_` and `.`"),
            );
            return false;
        }
        let longest = pattern.max_len(CR_NAME_MAX);
        if longest > max {
            self.push(
                Diagnostic::error(
                    span,
                    format!("the {what} can reach {longest} characters, over the limit of {max}"),
                )
                .with_help("shorten the literal text; `{namespace}` counts as 30 characters"),
            );
            return false;
        }
        true
    }

    fn ram_policy(&mut self, node: &Node, config: &mut Config) {
        let Some(section) = self.section(node, "ram_policy", &["name", "description"]) else {
            return;
        };
        let ns = [Placeholder::Namespace];
        if let Some((name, span)) = self.pattern(&section, "name", &ns) {
            if self.check_derived_name(&name, span, "RAM policy name", RAM_POLICY_NAME_MAX) {
                config.ram_policy.name = name;
            }
        }
        if let Some((description, span)) = self.pattern(&section, "description", &ns) {
            if description.parts().is_empty() {
                self.error(span, "the RAM policy description must not be empty");
            } else {
                config.ram_policy.description = description;
            }
        }
    }

    fn console_login(&mut self, node: &Node, config: &mut Config) {
        let Some(section) = self.section(node, "console_login", &["enabled", "password_input"])
        else {
            return;
        };
        let enabled = self.bool(&section, "enabled").unwrap_or(true);
        let password_input = self.bool(&section, "password_input");
        config.console_login = if enabled {
            ConsoleLogin::Enabled {
                password_input: password_input.unwrap_or(false),
            }
        } else {
            if password_input == Some(true) {
                let entry = section.get("password_input").expect("read above");
                self.push(
                    Diagnostic::error(
                        entry.value.span.clone(),
                        "`password_input` needs the console login",
                    )
                    .with_help("set `enabled = true` or remove `password_input`"),
                );
            }
            ConsoleLogin::Disabled
        };
    }

    fn access_key(&mut self, node: &Node, config: &mut Config) {
        let known = ["secret_file", "write_secret_file", "pgp_key"];
        let Some(section) = self.section(node, "access_key", &known) else {
            return;
        };
        if let Some(write) = self.bool(&section, "write_secret_file") {
            config.access_key.write_secret_file = write;
            if !write {
                if let Some(entry) = section.get("secret_file") {
                    self.push(
                        Diagnostic::error(entry.value.span.clone(), "`secret_file` is set, but `write_secret_file` is false")
                            .with_help("remove one of them: without a file, the secret stays in the `secret` attribute in state"),
                    );
                }
            }
        }
        if let Some((key, span)) = self.string(&section, "pgp_key") {
            let valid_base64 = !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '\n'));
            let keybase = key.strip_prefix("keybase:").is_some_and(|user| {
                !user.is_empty() && user.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            });
            if valid_base64 || keybase {
                if config.access_key.write_secret_file {
                    self.push(
                        Diagnostic::warning(span.clone(), "the provider still writes the plaintext secret to `secret_file` when `pgp_key` is set")
                            .with_help("set `write_secret_file = false` to keep only the encrypted secret"),
                    );
                }
                config.access_key.pgp_key = Some(key);
            } else {
                self.push(
                    Diagnostic::error(span, "invalid pgp_key")
                        .with_help("use a base64-encoded public key, or `keybase:<user>`"),
                );
            }
        }
        let Some((secret_file, span)) =
            self.pattern(&section, "secret_file", &[Placeholder::Namespace])
        else {
            return;
        };
        let path = secret_file.fill("ns", "");
        let problem = if path.trim().is_empty() {
            Some("the secret file name must not be empty")
        } else if path.starts_with('/') || path.starts_with('\\') || path.get(1..2) == Some(":") {
            Some("the secret file must be a relative path")
        } else if path.starts_with('~') {
            Some("the secret file must not start with `~`, which the provider expands to the home directory")
        } else if path.split(['/', '\\']).any(|part| part == "..") {
            Some("the secret file must not contain `..`")
        } else if path.contains(['/', '\\']) {
            Some("the secret file must be a plain file name, because the provider does not create directories and drops the secret silently when the directory is missing")
        } else if path.chars().any(char::is_control) {
            Some("the secret file name must not contain control characters")
        } else {
            None
        };
        match problem {
            Some(message) => self.push(
                Diagnostic::error(span, message)
                    .with_help("use a file name such as `cr-{namespace}-ak.json`; it lands in the directory where terraform runs"),
            ),
            None => config.access_key.secret_file = secret_file,
        }
    }

    fn outputs(&mut self, entry: &Entry, config: &mut Config) {
        let Value::Array(items) = &entry.value.value else {
            self.type_error(entry, "a list of output names");
            return;
        };
        let mut selected: Vec<OutputName> = Vec::new();
        let names: Vec<&str> = OutputName::ALL.iter().map(|o| o.as_str()).collect();
        for item in items {
            let Value::String(text) = &item.value else {
                if item.value != Value::Invalid {
                    self.error(
                        item.span.clone(),
                        format!(
                            "output names must be strings, found {}",
                            item.value.type_name()
                        ),
                    );
                }
                continue;
            };
            let Some(output) = OutputName::parse(text) else {
                let diagnostic = Diagnostic::error(
                    item.span.clone(),
                    format!("unknown output `{}`", text.escape_debug()),
                );
                self.push(match closest(text, names.iter().copied()) {
                    Some(suggestion) => {
                        diagnostic.with_help(format!("did you mean `{suggestion}`?"))
                    }
                    None => diagnostic.with_help(format!("valid outputs are {}", names.join(", "))),
                });
                continue;
            };
            if selected.contains(&output) {
                self.error(item.span.clone(), format!("duplicate output `{text}`"));
                continue;
            }
            if output.needs_pgp_key() && config.access_key.pgp_key.is_none() {
                self.push(
                    Diagnostic::error(
                        item.span.clone(),
                        format!("output `{text}` needs `access_key.pgp_key`"),
                    )
                    .with_help("remove it, or set a PGP key"),
                );
                continue;
            }
            if output.needs_console_login() && config.console_login == ConsoleLogin::Disabled {
                self.push(
                    Diagnostic::error(
                        item.span.clone(),
                        format!("output `{text}` needs the console login"),
                    )
                    .with_help("remove it, or set `console_login { enabled = true }`"),
                );
                continue;
            }
            selected.push(output);
        }
        selected.sort();
        config.outputs = selected;
    }
}

/// Parses `x.y.z`, with an optional pre-release or build suffix.
pub(crate) fn parse_version(text: &str) -> Option<(u64, u64, u64)> {
    let core = text.split(['-', '+']).next()?;
    let mut parts = core.split('.');
    let mut next = || -> Option<u64> {
        let part = parts.next()?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let version = (next()?, next()?, next()?);
    if parts.next().is_some() {
        return None;
    }
    let suffix = &text[core.len()..];
    if !suffix.is_empty()
        && !suffix[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return None;
    }
    Some(version)
}

/// Parses a Terraform version constraint. Returns its lower bound (`None` when it has none),
/// or `None` on the outside when the text is not a valid constraint.
pub(crate) fn parse_constraint(text: &str) -> Option<Option<(u64, u64, u64)>> {
    let mut lower: Option<(u64, u64, u64)> = None;
    for clause in text.split(',') {
        let clause = clause.trim();
        let (operator, version) = ["~>", ">=", "<=", "!=", ">", "<", "="]
            .iter()
            .find_map(|op| clause.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("=", clause));
        let padded = match version.matches('.').count() {
            0 => format!("{version}.0.0"),
            1 => format!("{version}.0"),
            _ => version.to_owned(),
        };
        let parsed = parse_version(&padded)?;
        if matches!(operator, "~>" | ">=" | ">" | "=") {
            lower = Some(lower.map_or(parsed, |l: (u64, u64, u64)| l.max(parsed)));
        }
    }
    Some(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constraint_lower_bounds() {
        assert_eq!(parse_constraint(">= 1.114.0"), Some(Some((1, 114, 0))));
        assert_eq!(parse_constraint("~> 1.200"), Some(Some((1, 200, 0))));
        assert_eq!(parse_constraint("< 2.0.0"), Some(None));
        assert_eq!(parse_constraint(">= 1.0, < 2"), Some(Some((1, 0, 0))));
        assert_eq!(parse_constraint(">= x"), None);
        assert_eq!(parse_constraint(""), None);
    }

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("1.3.0"), Some((1, 3, 0)));
        assert_eq!(parse_version("1.3.0-rc.1"), Some((1, 3, 0)));
        assert_eq!(parse_version("1.3"), None);
        assert_eq!(parse_version("v1.3.0"), None);
    }
}
