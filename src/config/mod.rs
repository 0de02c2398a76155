//! The typed config: what module to generate. Values here are already checked, so the
//! generator never meets an invalid name, pattern or combination of options.

mod lower;
pub mod names;
pub mod pattern;

use std::path::Path;

pub use lower::lower;
pub use names::{CrName, CR_NAME_MAX, CR_NAME_MIN, CR_NAME_RULE};
pub use pattern::{Pattern, Placeholder};

use crate::diag::{Report, Source};
use crate::raw::{self, Syntax};

/// Location of the alicloud provider configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderShape {
    /// A `provider "alicloud"` block inside the module, fed by inputs (the 1.3.x layout).
    Module,
    /// No provider block: the calling module passes its own configuration.
    Caller,
}

/// The syntax of the generated Terraform files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hcl,
    Json,
}

/// Instance keys of the repositories in state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepositoryAddressing {
    /// `count`, keyed by list position, as the reference module does. Removing a repository
    /// from the middle of the list shifts and recreates the ones after it.
    Count,
    /// `for_each`, keyed by repository name.
    ForEach,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Private,
    Public,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Private => "PRIVATE",
            Visibility::Public => "PUBLIC",
        }
    }
}

/// The outputs of the reference module, in the order its outputs.tf declares them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OutputName {
    CrNamespace,
    CrAccessKey,
    CrUser,
    CrEndpoint,
    RamUser,
    RamPolicyName,
    RepositoryIds,
    RamConsoleUsername,
    DisposablePassword,
    AccessKeyStatus,
    RamPolicyType,
    RamPolicyAttachment,
    EncryptedSecret,
    KeyFingerprint,
}

impl OutputName {
    /// Every output the generator can emit: the reference's, then the PGP-encrypted secret.
    pub const ALL: [OutputName; 14] = [
        OutputName::CrNamespace,
        OutputName::CrAccessKey,
        OutputName::CrUser,
        OutputName::CrEndpoint,
        OutputName::RamUser,
        OutputName::RamPolicyName,
        OutputName::RepositoryIds,
        OutputName::RamConsoleUsername,
        OutputName::DisposablePassword,
        OutputName::AccessKeyStatus,
        OutputName::RamPolicyType,
        OutputName::RamPolicyAttachment,
        OutputName::EncryptedSecret,
        OutputName::KeyFingerprint,
    ];

    /// The 12 outputs of the reference module, the default selection.
    pub const REFERENCE: [OutputName; 12] = [
        OutputName::CrNamespace,
        OutputName::CrAccessKey,
        OutputName::CrUser,
        OutputName::CrEndpoint,
        OutputName::RamUser,
        OutputName::RamPolicyName,
        OutputName::RepositoryIds,
        OutputName::RamConsoleUsername,
        OutputName::DisposablePassword,
        OutputName::AccessKeyStatus,
        OutputName::RamPolicyType,
        OutputName::RamPolicyAttachment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutputName::CrNamespace => "cr_namespace",
            OutputName::CrAccessKey => "cr_access_key",
            OutputName::CrUser => "cr_user",
            OutputName::CrEndpoint => "cr_endpoint",
            OutputName::RamUser => "ram_user",
            OutputName::RamPolicyName => "ram_policy_name",
            OutputName::RepositoryIds => "repository_ids",
            OutputName::RamConsoleUsername => "ram_console_username",
            OutputName::DisposablePassword => "disposable_password",
            OutputName::AccessKeyStatus => "access_key_status",
            OutputName::RamPolicyType => "ram_policy_type",
            OutputName::RamPolicyAttachment => "ram_policy_attachment",
            OutputName::EncryptedSecret => "encrypted_secret",
            OutputName::KeyFingerprint => "key_fingerprint",
        }
    }

    pub fn parse(name: &str) -> Option<OutputName> {
        OutputName::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// Tells whether the output exists only when the access key has a PGP key.
    pub fn needs_pgp_key(self) -> bool {
        matches!(
            self,
            OutputName::EncryptedSecret | OutputName::KeyFingerprint
        )
    }

    /// Tells whether the output reads the console login profile or its password.
    pub fn needs_console_login(self) -> bool {
        matches!(
            self,
            OutputName::CrUser | OutputName::RamConsoleUsername | OutputName::DisposablePassword
        )
    }
}

/// Registry identity of the generated module: the source `<namespace>/<name>/<provider>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleIdentity {
    pub namespace: String,
    pub name: String,
    pub provider: String,
    pub version: String,
    pub description: String,
}

impl ModuleIdentity {
    pub fn registry_source(&self) -> String {
        format!("{}/{}/{}", self.namespace, self.name, self.provider)
    }

    /// Returns the GitHub repository name the registry expects: `terraform-<provider>-<name>`.
    pub fn repository_name(&self) -> String {
        format!("terraform-{}-{}", self.provider, self.name)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    pub terraform: String,
    pub alicloud: String,
    pub random: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceSettings {
    /// Default of the `namespace` input; `None` keeps the input required.
    pub name: Option<CrName>,
    pub visibility: Visibility,
    pub repo_autocreate: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepositorySettings {
    pub addressing: RepositoryAddressing,
    pub defaults: Vec<CrName>,
    pub visibility: Visibility,
    pub summary: Pattern,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RamUserSettings {
    pub name: Pattern,
    pub display_name: Pattern,
    pub comments: Pattern,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RamPolicySettings {
    pub name: Pattern,
    pub description: Pattern,
}

/// The console login profile, or its absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleLogin {
    Disabled,
    /// Enabled; `password_input` adds the optional `password` input of 1.3.1.
    Enabled {
        password_input: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessKeySettings {
    pub secret_file: Pattern,
    /// Whether the provider writes the secret to `secret_file` on create.
    pub write_secret_file: bool,
    /// A base64 public key or `keybase:<user>`; the secret is then returned encrypted.
    pub pgp_key: Option<String>,
}

/// A checked config. `Config::default()` reproduces the interface of
/// roura356a/cr/alicloud 1.3.0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub module: ModuleIdentity,
    pub versions: Versions,
    pub format: Format,
    pub provider_shape: ProviderShape,
    pub namespace: NamespaceSettings,
    pub repositories: RepositorySettings,
    pub ram_user: RamUserSettings,
    pub ram_policy: RamPolicySettings,
    pub console_login: ConsoleLogin,
    pub access_key: AccessKeySettings,
    /// Outputs to emit, in the reference order, without duplicates.
    pub outputs: Vec<OutputName>,
    /// The config file's name, for the header of generated files; `None` for the default.
    pub file_name: Option<String>,
}

fn pattern(text: &str, allowed: &[Placeholder]) -> Pattern {
    Pattern::parse(text, allowed).expect("built-in patterns are valid")
}

impl Default for Config {
    fn default() -> Self {
        let ns = &[Placeholder::Namespace];
        Config {
            module: ModuleIdentity {
                namespace: "roura356a".into(),
                name: "cr".into(),
                provider: "alicloud".into(),
                version: "1.3.0".into(),
                description: "Alibaba Cloud Container Registry namespace and repositories, with a RAM user that can push and pull".into(),
            },
            versions: Versions {
                terraform: ">= 1.3.0".into(),
                alicloud: ">= 1.114.0".into(),
                random: ">= 3.0.0".into(),
            },
            format: Format::Hcl,
            provider_shape: ProviderShape::Module,
            namespace: NamespaceSettings {
                name: None,
                visibility: Visibility::Private,
                repo_autocreate: true,
            },
            repositories: RepositorySettings {
                addressing: RepositoryAddressing::Count,
                defaults: vec![CrName::new("default").expect("valid name")],
                visibility: Visibility::Private,
                summary: pattern(
                    "PRIVATE Docker Repository {namespace}/{repository}",
                    &[Placeholder::Namespace, Placeholder::Repository],
                ),
            },
            ram_user: RamUserSettings {
                name: pattern("{namespace}-cr-user", ns),
                display_name: pattern("CR '{namespace}' Namespace User", ns),
                comments: pattern("RAM User to use Container Registry's {namespace} namespace", ns),
            },
            ram_policy: RamPolicySettings {
                name: pattern("{namespace}-cr-policy", ns),
                description: pattern(
                    "RAM Policy with push/pull permissions for Container Registry's {namespace} namespace",
                    ns,
                ),
            },
            console_login: ConsoleLogin::Enabled {
                password_input: false,
            },
            access_key: AccessKeySettings {
                secret_file: pattern("cr-{namespace}-ak.json", ns),
                write_secret_file: true,
                pgp_key: None,
            },
            outputs: OutputName::REFERENCE.to_vec(),
            file_name: None,
        }
    }
}

/// Reads a config from its text, picking HCL or JSON by the file name's extension.
/// Returns the config and its warnings, or a report with every problem found.
pub fn load(source: &Source) -> Result<(Config, Report), Report> {
    let syntax = Syntax::from_file_name(&source.name);
    let (tree, raw_diagnostics) = raw::parse(source, syntax).map_err(|diagnostic| Report {
        source: source.clone(),
        diagnostics: vec![diagnostic],
    })?;
    let file_name = Path::new(&source.name)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned());
    let (config, lowered) = lower(&tree, file_name);
    let mut diagnostics = raw_diagnostics;
    diagnostics.extend(lowered);
    diagnostics.sort_by_key(|diagnostic| diagnostic.span.start);
    let report = Report {
        source: source.clone(),
        diagnostics,
    };
    match config {
        Some(config) if !report.has_errors() => Ok((config, report)),
        _ => Err(report),
    }
}
