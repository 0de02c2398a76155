//! The Container Registry knowledge: builds the IR of the generated module, and of its
//! example, from a config. Addresses and stored argument values follow the reference
//! module roura356a/cr/alicloud 1.3.x, so existing state plans with no changes.

use crate::config::{
    names::CR_NAME_REGEX, Config, ConsoleLogin, OutputName, Pattern, Placeholder, ProviderShape,
    RepositoryAddressing,
};
use crate::ir::{
    BinaryOp, BodyItem, Expr, File, Ident, Item, Lifecycle, Module, ModuleCall, Output,
    ProviderConfig, Repetition, RequiredProvider, Resource, ResourceMode, Settings, TemplatePart,
    Traversal, Type, Validation, Value, Variable,
};

const NAMESPACE: &str = "alicloud_cr_namespace.registry_namespace";
const REPOSITORIES: &str = "alicloud_cr_repo.namespace_repositories";
const PASSWORD: &str = "random_string.cr_console_password";
const POLICY: &str = "alicloud_ram_policy.cr_namespace_policy";
const USER: &str = "alicloud_ram_user.namespace_user";
const LOGIN: &str = "alicloud_ram_login_profile.namespace_console_user";
const ATTACHMENT: &str = "alicloud_ram_user_policy_attachment.cr_user_policy_attachment";
const ACCESS_KEY: &str = "alicloud_ram_access_key.cr_ak";

fn ident(name: &str) -> Ident {
    Ident::fixed(name)
}

fn attr(name: &str, value: Expr) -> BodyItem {
    BodyItem::Attribute(ident(name), value)
}

/// Builds the generated module: versions, main, variables and outputs.
pub fn build(config: &Config) -> Module {
    Module {
        files: vec![
            File {
                stem: "versions".into(),
                items: vec![Item::Settings(settings(config))],
            },
            File {
                stem: "main".into(),
                items: main_items(config),
            },
            File {
                stem: "variables".into(),
                items: variables(config).into_iter().map(Item::Variable).collect(),
            },
            File {
                stem: "outputs".into(),
                items: outputs(config).into_iter().map(Item::Output).collect(),
            },
        ],
    }
}

fn uses_random(config: &Config) -> bool {
    matches!(config.console_login, ConsoleLogin::Enabled { .. })
}

fn settings(config: &Config) -> Settings {
    let mut required_providers = vec![RequiredProvider {
        local_name: ident("alicloud"),
        source: "aliyun/alicloud".into(),
        version: config.versions.alicloud.clone(),
    }];
    if uses_random(config) {
        required_providers.push(RequiredProvider {
            local_name: ident("random"),
            source: "hashicorp/random".into(),
            version: config.versions.random.clone(),
        });
    }
    Settings {
        required_version: Some(config.versions.terraform.clone()),
        required_providers,
    }
}

/// Turns a config pattern into a template. `repository` is the expression that stands for
/// `{repository}`, when the pattern may use it.
fn pattern_expr(pattern: &Pattern, repository: Option<&Expr>) -> Expr {
    let parts = pattern
        .parts()
        .iter()
        .map(|part| match part {
            crate::config::pattern::Part::Text(text) => TemplatePart::Literal(text.clone()),
            crate::config::pattern::Part::Placeholder(Placeholder::Namespace) => {
                TemplatePart::Interpolation(Expr::path("var.namespace"))
            }
            crate::config::pattern::Part::Placeholder(Placeholder::Repository) => {
                TemplatePart::Interpolation(
                    repository
                        .cloned()
                        .expect("the config allows {repository} only where it is defined"),
                )
            }
        })
        .collect();
    Expr::template(parts)
}

/// `var.x != "" ? var.x : null`, so that an empty input leaves the provider's default.
fn empty_as_null(variable: &str) -> Expr {
    Expr::conditional(
        Expr::binary(BinaryOp::NotEq, Expr::path(variable), Expr::string("")),
        Expr::path(variable),
        Expr::Null,
    )
}

fn provider_block(config: &Config) -> ProviderConfig {
    ProviderConfig {
        name: ident("alicloud"),
        body: vec![
            attr("profile", empty_as_null("var.profile")),
            attr(
                "shared_credentials_file",
                empty_as_null("var.shared_credentials_file"),
            ),
            attr("region", empty_as_null("var.region")),
            attr(
                "skip_region_validation",
                Expr::path("var.skip_region_validation"),
            ),
            attr(
                "configuration_source",
                Expr::string(format!(
                    "{}/{}",
                    config.module.namespace, config.module.name
                )),
            ),
        ],
    }
}

fn resource(kind: &str, name: &str, body: Vec<BodyItem>) -> Resource {
    Resource {
        mode: ResourceMode::Managed,
        kind: ident(kind),
        name: ident(name),
        repetition: Repetition::Single,
        body,
        lifecycle: None,
        depends_on: Vec::new(),
    }
}

fn data(kind: &str, name: &str, body: Vec<BodyItem>) -> Resource {
    Resource {
        mode: ResourceMode::Data,
        ..resource(kind, name, body)
    }
}

fn main_items(config: &Config) -> Vec<Item> {
    let mut items = Vec::new();
    if config.provider_shape == ProviderShape::Module {
        items.push(Item::Provider(provider_block(config)));
    }
    items.push(Item::Resource(data("alicloud_account", "current", vec![])));
    items.push(Item::Resource(data(
        "alicloud_regions",
        "current",
        vec![attr("current", Expr::Bool(true))],
    )));

    // The policy grants every CR action on the namespace's repositories in this account
    // and region, and the account-wide token call that `docker login` needs.
    let repository_arn = Expr::template(vec![
        TemplatePart::Literal("acs:cr:".into()),
        TemplatePart::Interpolation(
            Expr::path("data.alicloud_regions.current.regions").map_index0("id"),
        ),
        TemplatePart::Literal(":".into()),
        TemplatePart::Interpolation(Expr::path("data.alicloud_account.current.id")),
        TemplatePart::Literal(":repository/".into()),
        TemplatePart::Interpolation(Expr::path("var.namespace")),
    ]);
    items.push(Item::Locals(vec![(
        ident("repository_arn"),
        repository_arn,
    )]));

    if let ConsoleLogin::Enabled { .. } = config.console_login {
        items.push(Item::Resource(resource(
            "random_string",
            "cr_console_password",
            vec![
                attr("length", Expr::Number(12)),
                attr("special", Expr::Bool(false)),
            ],
        )));
    }

    items.push(Item::Resource(resource(
        "alicloud_cr_namespace",
        "registry_namespace",
        vec![
            attr("name", Expr::path("var.namespace")),
            attr("auto_create", Expr::path("var.repo_autocreate")),
            attr(
                "default_visibility",
                Expr::string(config.namespace.visibility.as_str()),
            ),
        ],
    )));

    let (repository, repetition) = match config.repositories.addressing {
        RepositoryAddressing::Count => (
            Expr::Ref(Traversal::path("var.repositories").index(Expr::path("count.index"))),
            Repetition::Count(Expr::call("length", vec![Expr::path("var.repositories")])),
        ),
        RepositoryAddressing::ForEach => (
            Expr::path("each.key"),
            Repetition::ForEach(Expr::call("toset", vec![Expr::path("var.repositories")])),
        ),
    };
    let mut repositories = resource(
        "alicloud_cr_repo",
        "namespace_repositories",
        vec![
            attr("namespace", Expr::path(&format!("{NAMESPACE}.name"))),
            attr("name", repository.clone()),
            attr(
                "summary",
                pattern_expr(&config.repositories.summary, Some(&repository)),
            ),
            attr(
                "repo_type",
                Expr::string(config.repositories.visibility.as_str()),
            ),
        ],
    );
    repositories.repetition = repetition;
    items.push(Item::Resource(repositories));

    items.push(Item::Resource(resource(
        "alicloud_ram_policy",
        "cr_namespace_policy",
        vec![
            attr("policy_name", pattern_expr(&config.ram_policy.name, None)),
            attr("policy_document", policy_document()),
            attr(
                "description",
                pattern_expr(&config.ram_policy.description, None),
            ),
            attr("force", Expr::Bool(true)),
        ],
    )));

    items.push(Item::Resource(resource(
        "alicloud_ram_user",
        "namespace_user",
        vec![
            attr("name", pattern_expr(&config.ram_user.name, None)),
            attr(
                "display_name",
                pattern_expr(&config.ram_user.display_name, None),
            ),
            attr("comments", pattern_expr(&config.ram_user.comments, None)),
            attr("force", Expr::Bool(true)),
        ],
    )));

    if let ConsoleLogin::Enabled { password_input } = config.console_login {
        items.push(Item::Resource(login_profile(password_input)));
    }

    items.push(Item::Resource(resource(
        "alicloud_ram_user_policy_attachment",
        "cr_user_policy_attachment",
        vec![
            attr("policy_name", Expr::path(&format!("{POLICY}.policy_name"))),
            attr("policy_type", Expr::path(&format!("{POLICY}.type"))),
            attr("user_name", Expr::path(&format!("{USER}.name"))),
        ],
    )));

    let mut access_key = vec![attr("user_name", Expr::path(&format!("{USER}.name")))];
    if config.access_key.write_secret_file {
        access_key.push(attr(
            "secret_file",
            pattern_expr(&config.access_key.secret_file, None),
        ));
    }
    if let Some(key) = &config.access_key.pgp_key {
        access_key.push(attr("pgp_key", Expr::string(key)));
    }
    items.push(Item::Resource(resource(
        "alicloud_ram_access_key",
        "cr_ak",
        access_key,
    )));
    items
}

trait IndexZero {
    fn map_index0(self, attribute: &str) -> Expr;
}

impl IndexZero for Expr {
    /// Turns `x` into `x[0].attribute`.
    fn map_index0(self, attribute: &str) -> Expr {
        match self {
            Expr::Ref(traversal) => Expr::Ref(traversal.index(Expr::Number(0)).attr(attribute)),
            other => other,
        }
    }
}

/// Builds the policy document as `jsonencode({...})`.
// NOTE: the facts on the reference give the statements but not whether `Action` and the
// second `Resource` were scalars or one-element lists. The provider treats equivalent JSON
// as equal, but not a scalar and a list, so this shape (scalar actions, a list of two
// repository ARNs, a scalar `*`) is a choice that an applied 1.3.x state may contradict.
fn policy_document() -> Expr {
    let object = |items: Vec<(&str, Expr)>| Expr::Object {
        items: items.into_iter().map(|(k, v)| (ident(k), v)).collect(),
        multiline: true,
    };
    let namespace_statement = object(vec![
        ("Effect", Expr::string("Allow")),
        ("Action", Expr::string("cr:*")),
        (
            "Resource",
            Expr::List {
                items: vec![
                    Expr::path("local.repository_arn"),
                    Expr::template(vec![
                        TemplatePart::Interpolation(Expr::path("local.repository_arn")),
                        TemplatePart::Literal("/*".into()),
                    ]),
                ],
                multiline: true,
            },
        ),
    ]);
    let token_statement = object(vec![
        ("Effect", Expr::string("Allow")),
        ("Action", Expr::string("cr:GetAuthorizationToken")),
        ("Resource", Expr::string("*")),
    ]);
    Expr::call(
        "jsonencode",
        vec![object(vec![
            ("Version", Expr::string("1")),
            (
                "Statement",
                Expr::List {
                    items: vec![namespace_statement, token_statement],
                    multiline: true,
                },
            ),
        ])],
    )
}

fn login_profile(password_input: bool) -> Resource {
    let generated = Expr::path(&format!("{PASSWORD}.result"));
    let (password, reset_required) = if password_input {
        let set = Expr::binary(
            BinaryOp::NotEq,
            Expr::path("var.password"),
            Expr::string(""),
        );
        (
            Expr::conditional(set, Expr::path("var.password"), generated),
            Expr::binary(BinaryOp::Eq, Expr::path("var.password"), Expr::string("")),
        )
    } else {
        (generated, Expr::Bool(true))
    };
    let mut profile = resource(
        "alicloud_ram_login_profile",
        "namespace_console_user",
        vec![
            attr("user_name", Expr::path(&format!("{USER}.name"))),
            attr("password", password),
            attr("password_reset_required", reset_required),
        ],
    );
    // The API reports password_reset_required as false once the user has changed the
    // password, so the reference ignores it after create.
    profile.lifecycle = Some(Lifecycle {
        ignore_changes: vec![Traversal::path("password_reset_required")],
    });
    profile
}

fn cr_name_validation(subject: &str) -> String {
    format!(
        "{subject} must be 2 to 30 characters of lowercase letters, digits, \"-\" and \"_\", starting and ending with a letter or digit."
    )
}

fn name_matches(value: Expr) -> Expr {
    Expr::call(
        "can",
        vec![Expr::call(
            "regex",
            vec![Expr::string(CR_NAME_REGEX), value],
        )],
    )
}

fn variables(config: &Config) -> Vec<Variable> {
    let mut variables = Vec::new();
    let string_input = |name: &str, description: &str, default: &str| Variable {
        name: ident(name),
        ty: Type::String,
        description: description.into(),
        default: Some(Value::String(default.into())),
        sensitive: false,
        validations: Vec::new(),
    };
    if config.provider_shape == ProviderShape::Module {
        variables.push(string_input(
            "region",
            "Region of the Container Registry resources. Empty means the provider's default region.",
            "",
        ));
        variables.push(string_input(
            "profile",
            "Profile in the shared credentials file to authenticate with. Empty leaves it to the provider, which reads `ALICLOUD_PROFILE`.",
            "default",
        ));
        variables.push(string_input(
            "shared_credentials_file",
            "Path of the shared credentials file. Empty means `$HOME/.aliyun/config.json` when a profile is set.",
            "",
        ));
        variables.push(Variable {
            name: ident("skip_region_validation"),
            ty: Type::Bool,
            description: "Skip the provider's check that the region is a known Alibaba Cloud region, for unlisted regions and Alibaba-Cloud-compatible APIs.".into(),
            default: Some(Value::Bool(false)),
            sensitive: false,
            validations: Vec::new(),
        });
    }
    variables.push(Variable {
        name: ident("namespace"),
        ty: Type::String,
        description: "Name of the Container Registry namespace to create.".into(),
        default: config
            .namespace
            .name
            .as_ref()
            .map(|name| Value::String(name.to_string())),
        sensitive: false,
        validations: vec![Validation {
            condition: name_matches(Expr::path("var.namespace")),
            error_message: cr_name_validation("The namespace"),
        }],
    });
    let name_var = Ident::fixed("name");
    variables.push(Variable {
        name: ident("repositories"),
        ty: Type::List(Box::new(Type::String)),
        description: "Names of the repositories to create in the namespace.".into(),
        default: Some(Value::List(
            config
                .repositories
                .defaults
                .iter()
                .map(|name| Value::String(name.to_string()))
                .collect(),
        )),
        sensitive: false,
        validations: vec![
            Validation {
                condition: Expr::call(
                    "alltrue",
                    vec![Expr::ForList {
                        var: name_var,
                        collection: Box::new(Expr::path("var.repositories")),
                        body: Box::new(name_matches(Expr::path("name"))),
                    }],
                ),
                error_message: cr_name_validation("Each repository name"),
            },
            Validation {
                condition: Expr::binary(
                    BinaryOp::Eq,
                    Expr::call(
                        "length",
                        vec![Expr::call("distinct", vec![Expr::path("var.repositories")])],
                    ),
                    Expr::call("length", vec![Expr::path("var.repositories")]),
                ),
                error_message: "Each repository must be listed once.".into(),
            },
        ],
    });
    variables.push(Variable {
        name: ident("repo_autocreate"),
        ty: Type::Bool,
        description: "Whether pushing an image creates its repository. When false, a repository must exist before the first push.".into(),
        default: Some(Value::Bool(config.namespace.repo_autocreate)),
        sensitive: false,
        validations: Vec::new(),
    });
    if let ConsoleLogin::Enabled {
        password_input: true,
    } = config.console_login
    {
        variables.push(Variable {
            name: ident("password"),
            ty: Type::String,
            description: "Console password of the RAM user. Empty means a generated one-time password that must be changed at first login.".into(),
            default: Some(Value::String(String::new())),
            sensitive: true,
            validations: Vec::new(),
        });
    }
    variables
}

/// Returns the instance of the first listed repository, and the expression for every
/// repository id in list order.
fn repository_refs(config: &Config) -> (Traversal, Expr) {
    match config.repositories.addressing {
        RepositoryAddressing::Count => (
            Traversal::path(REPOSITORIES).index(Expr::Number(0)),
            Expr::Ref(Traversal::path(REPOSITORIES).splat().attr("id")),
        ),
        RepositoryAddressing::ForEach => (
            Traversal::path(REPOSITORIES).index(Expr::Ref(
                Traversal::path("var.repositories").index(Expr::Number(0)),
            )),
            Expr::ForList {
                var: ident("name"),
                collection: Box::new(Expr::path("var.repositories")),
                body: Box::new(Expr::Ref(
                    Traversal::path(REPOSITORIES)
                        .index(Expr::path("name"))
                        .attr("id"),
                )),
            },
        ),
    }
}

fn output(config: &Config, name: OutputName) -> Output {
    let (first_repository, repository_ids) = repository_refs(config);
    let (description, value, sensitive) = match name {
        OutputName::CrNamespace => (
            "ID of the Container Registry namespace, which is its name.",
            Expr::path(&format!("{NAMESPACE}.id")),
            false,
        ),
        OutputName::CrAccessKey => (
            "ID of the RAM access key.",
            Expr::path(&format!("{ACCESS_KEY}.id")),
            false,
        ),
        OutputName::CrUser => (
            "User name of the console login profile.",
            Expr::path(&format!("{LOGIN}.user_name")),
            false,
        ),
        OutputName::CrEndpoint => (
            "Public endpoint of the registry, read from the first repository. It is null when there are no repositories.",
            Expr::conditional(
                Expr::binary(
                    BinaryOp::Greater,
                    Expr::call("length", vec![Expr::path(REPOSITORIES)]),
                    Expr::Number(0),
                ),
                Expr::Ref(
                    first_repository
                        .attr("domain_list")
                        .index(Expr::string("public")),
                ),
                Expr::Null,
            ),
            false,
        ),
        OutputName::RamUser => (
            "Name of the RAM user.",
            Expr::path(&format!("{USER}.name")),
            false,
        ),
        OutputName::RamPolicyName => (
            "Name of the RAM policy.",
            Expr::path(&format!("{POLICY}.policy_name")),
            false,
        ),
        OutputName::RepositoryIds => (
            "IDs of the repositories, each in the form `<namespace>/<repository>`.",
            repository_ids,
            false,
        ),
        OutputName::RamConsoleUsername => (
            "Console sign-in name of the RAM user, in the form `<user>@<account id>.onaliyun.com`.",
            Expr::template(vec![
                TemplatePart::Interpolation(Expr::path(&format!("{LOGIN}.user_name"))),
                TemplatePart::Literal("@".into()),
                TemplatePart::Interpolation(Expr::path("data.alicloud_account.current.id")),
                TemplatePart::Literal(".onaliyun.com".into()),
            ]),
            false,
        ),
        OutputName::DisposablePassword => (
            "Generated console password of the RAM user, to be changed at first login.",
            Expr::path(&format!("{PASSWORD}.result")),
            true,
        ),
        OutputName::AccessKeyStatus => (
            "Status of the access key, `Active` after create.",
            Expr::path(&format!("{ACCESS_KEY}.status")),
            false,
        ),
        OutputName::RamPolicyType => (
            "Type of the RAM policy, `Custom` for this module.",
            Expr::path(&format!("{POLICY}.type")),
            false,
        ),
        OutputName::EncryptedSecret => (
            "Secret of the access key, encrypted with the PGP key and base64-encoded.",
            Expr::path(&format!("{ACCESS_KEY}.encrypted_secret")),
            false,
        ),
        OutputName::KeyFingerprint => (
            "Fingerprint of the PGP key that encrypted the access key secret.",
            Expr::path(&format!("{ACCESS_KEY}.key_fingerprint")),
            false,
        ),
        OutputName::RamPolicyAttachment => (
            "ID of the policy attachment, in the form `user:<policy name>:<policy type>:<user name>`.",
            Expr::path(&format!("{ATTACHMENT}.id")),
            false,
        ),
    };
    Output {
        name: ident(name.as_str()),
        description: description.into(),
        value,
        sensitive,
    }
}

fn outputs(config: &Config) -> Vec<Output> {
    config
        .outputs
        .iter()
        .map(|name| output(config, *name))
        .collect()
}

/// Builds `examples/basic`: a root module that calls the module by its registry source and
/// passes every output on. In the caller shape it also configures the provider.
pub fn build_example(config: &Config, module: &Module) -> Module {
    let mut main = Vec::new();
    if config.provider_shape == ProviderShape::Caller {
        let mut settings = settings(config);
        settings.required_providers.truncate(1);
        main.push(Item::Settings(settings));
        main.push(Item::Provider(ProviderConfig {
            name: ident("alicloud"),
            body: vec![attr("region", Expr::path("var.region"))],
        }));
    }
    main.push(Item::Module(ModuleCall {
        name: ident("cr"),
        source: config.module.registry_source(),
        version: Some(config.module.version.clone()),
        repetition: Repetition::Single,
        arguments: vec![
            (ident("namespace"), Expr::path("var.namespace")),
            (ident("repositories"), Expr::path("var.repositories")),
        ],
    }));

    let mut variables = vec![Variable {
        name: ident("namespace"),
        ty: Type::String,
        description: "Name of the Container Registry namespace to create.".into(),
        default: Some(Value::String("example-namespace".into())),
        sensitive: false,
        validations: Vec::new(),
    }];
    variables.push(Variable {
        name: ident("repositories"),
        ty: Type::List(Box::new(Type::String)),
        description: "Names of the repositories to create in the namespace.".into(),
        default: Some(Value::List(
            config
                .repositories
                .defaults
                .iter()
                .map(|name| Value::String(name.to_string()))
                .collect(),
        )),
        sensitive: false,
        validations: Vec::new(),
    });
    if config.provider_shape == ProviderShape::Caller {
        variables.insert(
            0,
            Variable {
                name: ident("region"),
                ty: Type::String,
                description: "Region to create the resources in.".into(),
                default: Some(Value::String("cn-hangzhou".into())),
                sensitive: false,
                validations: Vec::new(),
            },
        );
    }

    let outputs = module
        .outputs()
        .map(|output| Output {
            name: output.name.clone(),
            description: output.description.clone(),
            value: Expr::Ref(Traversal::path("module.cr").attr(output.name.as_str())),
            sensitive: output.sensitive,
        })
        .map(Item::Output)
        .collect();

    Module {
        files: vec![
            File {
                stem: "main".into(),
                items: main,
            },
            File {
                stem: "variables".into(),
                items: variables.into_iter().map(Item::Variable).collect(),
            },
            File {
                stem: "outputs".into(),
                items: outputs,
            },
        ],
    }
}
