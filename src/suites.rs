//! Renders the generated module's own test suites: a terratest integration test under
//! `test/` that applies the module in a real account, and a `terraform test` file under
//! `tests/` that runs against a mocked alicloud provider. Every expected value is computed
//! here from the config, so the templates only fill in text and repeat loops.

use std::collections::BTreeMap;

use serde::Serialize;
use std::sync::LazyLock;

use tera::{Context, Tera};

use crate::config::{
    pattern::Part, Config, ConsoleLogin, OutputName, Pattern, RepositoryAddressing,
};
use crate::emit::hcl::quote;
use crate::ir::{BinaryOp, Expr, Module, Type, Validation, Variable};
use crate::render::RenderError;

const GO_MOD_TEMPLATE: &str = include_str!("../templates/suites/go.mod.tera");
const TERRATEST_TEMPLATE: &str = include_str!("../templates/suites/terratest.go.tera");
const TFTEST_TEMPLATE: &str = include_str!("../templates/suites/tftest.hcl.tera");
const TESTING_TEMPLATE: &str = include_str!("../templates/suites/testing.md.tera");

/// Versions that the generated `test/go.mod` requires. terratest v1.0.1 needs Go 1.26 and
/// pins testify v1.11.1.
pub const GO_VERSION: &str = "1.26";
pub const TERRATEST_VERSION: &str = "v1.0.1";
pub const TESTIFY_VERSION: &str = "v1.11.1";

/// Prefix of the namespace that the terratest test creates. With the six characters of
/// `random.UniqueID()` it makes 13 characters, inside the CR limit of 30.
// NOTE: the length of 6 was read from the source of terratest's `UniqueId`, the older
// name of `UniqueID`, not from v1.0.1 itself.
pub const TERRATEST_NAMESPACE_PREFIX: &str = "crtest-";

// NOTE: the generated texts state that `override_during` needs Terraform 1.9 or later.
// That version was not checked against Terraform's changelog; the tests run 1.11.4.

/// Input values of the `terraform test` runs. Nothing is created, so they need not be
/// unique.
pub const TFTEST_NAMESPACE: &str = "tftest";
pub const MOCK_REGION: &str = "cn-hangzhou";
pub const MOCK_ACCOUNT_ID: &str = "1234567890123456";
pub const MOCK_ACCESS_KEY_ID: &str = "LTAI5tMockAccessKeyId";

/// Length of the generated console password (`random_string.cr_console_password`).
const PASSWORD_LENGTH: usize = 12;

/// Returns the path of the terratest file, `test/<module name>_test.go`.
pub fn terratest_path(config: &Config) -> String {
    format!("test/{}_test.go", config.module.name.replace('-', "_"))
}

/// Returns the path of the `terraform test` file, `tests/<module name>.tftest.hcl`.
pub fn tftest_path(config: &Config) -> String {
    format!("tests/{}.tftest.hcl", config.module.name)
}

/// Adds `test/go.mod`, the terratest file and the `terraform test` file to `files`.
pub fn render(
    config: &Config,
    module: &Module,
    header: &str,
    files: &mut BTreeMap<String, String>,
) -> Result<(), RenderError> {
    files.insert("test/go.mod".into(), go_mod(config, header)?);
    files.insert(terratest_path(config), terratest(config, header)?);
    files.insert(tftest_path(config), tftest(config, module, header)?);
    Ok(())
}

/// The suite templates, parsed once per process, keyed by the names `render_template`
/// takes.
static TEMPLATES: LazyLock<Tera> = LazyLock::new(|| {
    let mut tera = Tera::default();
    tera.autoescape_on(Vec::new());
    tera.add_raw_templates([
        ("suites/go.mod", GO_MOD_TEMPLATE),
        ("suites/terratest.go", TERRATEST_TEMPLATE),
        ("suites/tftest.hcl", TFTEST_TEMPLATE),
        ("suites/testing.md", TESTING_TEMPLATE),
    ])
    .expect("the built-in suite templates parse");
    tera
});

fn render_template(name: &'static str, context: &Context) -> Result<String, RenderError> {
    TEMPLATES
        .render(name, context)
        .map_err(|source| RenderError::Template { name, source })
}

fn go_mod(config: &Config, header: &str) -> Result<String, RenderError> {
    let mut context = Context::new();
    context.insert("header", header);
    context.insert(
        "module_path",
        &format!(
            "github.com/{}/{}/test",
            config.module.namespace,
            config.module.repository_name()
        ),
    );
    context.insert("go_version", GO_VERSION);
    context.insert("terratest_version", TERRATEST_VERSION);
    context.insert("testify_version", TESTIFY_VERSION);
    render_template("suites/go.mod", &context)
}

/// Renders the section of the generated README on running both suites.
pub fn testing_section(config: &Config) -> Result<String, RenderError> {
    let mut context = Context::new();
    context.insert("tftest_path", &tftest_path(config));
    context.insert("terratest_path", &terratest_path(config));
    context.insert(
        "secret_file",
        &config.access_key.secret_file.fill("<namespace>", ""),
    );
    context.insert("go_version", GO_VERSION);
    render_template("suites/testing.md", &context)
}

/// Quotes `text` as a Go interpreted string literal.
fn go_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Turns a pattern into a Go expression that fills `{namespace}` from the Go variable
/// `namespace`, such as `namespace + "-cr-user"`. Patterns here never take `{repository}`.
fn go_pattern(pattern: &Pattern) -> String {
    let terms: Vec<String> = pattern
        .parts()
        .iter()
        .map(|part| match part {
            Part::Text(text) => go_quote(text),
            Part::Placeholder(_) => "namespace".to_owned(),
        })
        .collect();
    if terms.is_empty() {
        return "\"\"".into();
    }
    terms.join(" + ")
}

/// Returns the Go `[]string{...}` literal of `items`.
fn go_string_slice(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| go_quote(item)).collect();
    format!("[]string{{{}}}", quoted.join(", "))
}

/// One local variable of the terratest function, declared only when an assertion uses it,
/// because Go rejects unused variables.
#[derive(Serialize)]
struct GoLocal {
    name: &'static str,
    value: String,
}

/// One statement that checks an output, as Go source.
#[derive(Serialize)]
struct GoCheck {
    output: &'static str,
    statement: String,
}

fn terratest_check(config: &Config, output: OutputName) -> String {
    let name = output.as_str();
    let text = format!("terraform.OutputContext(t, t.Context(), opts, \"{name}\")");
    match output {
        OutputName::CrNamespace => format!("assert.Equal(t, namespace, {text})"),
        OutputName::CrAccessKey => format!("assert.NotEmpty(t, {text})"),
        OutputName::CrUser | OutputName::RamUser => format!("assert.Equal(t, userName, {text})"),
        OutputName::CrEndpoint if config.repositories.defaults.is_empty() => format!(
            "assert.JSONEq(t, \"null\", terraform.OutputJSONContext(t, t.Context(), opts, \"{name}\"))"
        ),
        OutputName::CrEndpoint => format!("assert.NotEmpty(t, {text})"),
        OutputName::RamPolicyName => format!("assert.Equal(t, policyName, {text})"),
        OutputName::RepositoryIds => format!(
            "assert.Equal(t, repositoryIDs, terraform.OutputListContext(t, t.Context(), opts, \"{name}\"))"
        ),
        OutputName::RamConsoleUsername => format!(
            "assert.Regexp(t, \"^\"+regexp.QuoteMeta(userName)+`@[0-9]+\\.onaliyun\\.com$`, {text})"
        ),
        OutputName::DisposablePassword => format!("assert.Len(t, {text}, {PASSWORD_LENGTH})"),
        OutputName::AccessKeyStatus => format!("assert.Equal(t, \"Active\", {text})"),
        OutputName::RamPolicyType => format!("assert.Equal(t, \"Custom\", {text})"),
        OutputName::RamPolicyAttachment => format!(
            "assert.Equal(t, \"user:\"+policyName+\":Custom:\"+userName, {text})"
        ),
        OutputName::EncryptedSecret | OutputName::KeyFingerprint => {
            format!("assert.NotEmpty(t, {text})")
        }
    }
}

/// Returns the name of the Go test function: `Test` and the module name in camel case.
fn go_test_name(config: &Config) -> String {
    let mut name = String::from("Test");
    for word in config.module.name.split(['-', '_']) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.extend(first.to_uppercase());
            name.push_str(chars.as_str());
        }
    }
    name.push_str("Module");
    name
}

fn terratest(config: &Config, header: &str) -> Result<String, RenderError> {
    let outputs = &config.outputs;
    let uses = |names: &[OutputName]| names.iter().any(|name| outputs.contains(name));

    let repositories: Vec<String> = config
        .repositories
        .defaults
        .iter()
        .map(|name| name.to_string())
        .collect();
    let mut locals = Vec::new();
    if uses(&[
        OutputName::CrUser,
        OutputName::RamUser,
        OutputName::RamConsoleUsername,
        OutputName::RamPolicyAttachment,
    ]) {
        locals.push(GoLocal {
            name: "userName",
            value: go_pattern(&config.ram_user.name),
        });
    }
    if uses(&[OutputName::RamPolicyName, OutputName::RamPolicyAttachment]) {
        locals.push(GoLocal {
            name: "policyName",
            value: go_pattern(&config.ram_policy.name),
        });
    }
    if uses(&[OutputName::RepositoryIds]) {
        let ids: Vec<String> = repositories
            .iter()
            .map(|name| format!("namespace + {}", go_quote(&format!("/{name}"))))
            .collect();
        locals.push(GoLocal {
            name: "repositoryIDs",
            value: format!("[]string{{{}}}", ids.join(", ")),
        });
    }
    let checks: Vec<GoCheck> = outputs
        .iter()
        .map(|&output| GoCheck {
            output: output.as_str(),
            statement: terratest_check(config, output),
        })
        .collect();

    let mut context = Context::new();
    context.insert("header", header);
    context.insert("test_name", &go_test_name(config));
    context.insert("uses_regexp", &uses(&[OutputName::RamConsoleUsername]));
    context.insert("namespace_prefix", &go_quote(TERRATEST_NAMESPACE_PREFIX));
    context.insert("repositories", &go_string_slice(&repositories));
    context.insert("locals", &locals);
    context.insert("checks", &checks);
    // Without a secret file there is nothing on disk to check, and no `filepath` import.
    let (file_imports, file_checks): (Vec<&str>, Vec<String>) = if config
        .access_key
        .write_secret_file
    {
        (
                vec!["path/filepath"],
                vec![
                    String::new(),
                    "\t// terratest runs terraform in TerraformDir, where the provider writes the secret file.".into(),
                    format!("\tsecretFile := {}", go_pattern(&config.access_key.secret_file)),
                    "\tassert.FileExists(t, filepath.Join(opts.TerraformDir, secretFile))".into(),
                ],
            )
    } else {
        (Vec::new(), Vec::new())
    };
    context.insert("file_imports", &file_imports);
    context.insert("file_checks", &file_checks);
    render_template("suites/terratest.go", &context)
}

/// An `assert` block of a `run`: an HCL condition and its message.
#[derive(Serialize)]
struct HclAssert {
    condition: String,
    error_message: String,
}

fn hcl_assert(subject: &str, expected: &str) -> HclAssert {
    HclAssert {
        condition: format!("{subject} == {expected}"),
        error_message: quote(&format!("{subject} is not {expected}")),
    }
}

fn hcl_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|item| quote(item)).collect();
    format!("[{}]", quoted.join(", "))
}

/// A `run` that expects a variable's validation to reject one value.
#[derive(Serialize)]
struct HclRejection {
    run: String,
    variable: String,
    value: String,
}

/// A `mock_data`, `mock_resource` or `override_resource` block: its label or target, and
/// its `defaults` or `values` as `key = value` lines with the keys padded as
/// `terraform fmt` aligns them.
#[derive(Serialize)]
struct HclMock {
    target: String,
    lines: Vec<String>,
}

fn mock(target: &str, values: &[(&str, String)]) -> HclMock {
    let width = values.iter().map(|(key, _)| key.len()).max().unwrap_or(0);
    HclMock {
        target: target.to_owned(),
        lines: values
            .iter()
            .map(|(key, value)| format!("{key:width$} = {value}"))
            .collect(),
    }
}

/// Kinds of validation rule that the module builder writes, recognised by the shape of
/// the condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// `can(regex(<CR name>, var.x))` on a string.
    Name,
    /// `alltrue([for name in var.x : can(regex(...))])` on a list of strings.
    EachName,
    /// `length(distinct(var.x)) == length(var.x)`.
    Distinct,
}

fn is_call<'a>(expr: &'a Expr, function: &str) -> Option<&'a [Expr]> {
    match expr {
        Expr::Call(name, args) if name.as_str() == function => Some(args),
        _ => None,
    }
}

fn classify(variable: &Variable, validation: &Validation) -> Option<Rule> {
    let condition = &validation.condition;
    let list_of_strings = variable.ty == Type::List(Box::new(Type::String));
    if variable.ty == Type::String {
        let [regex] = is_call(condition, "can")? else {
            return None;
        };
        is_call(regex, "regex")?;
        return Some(Rule::Name);
    }
    if list_of_strings {
        if let Some([Expr::ForList { body, .. }]) = is_call(condition, "alltrue") {
            return is_call(body, "can").map(|_| Rule::EachName);
        }
        if let Expr::Binary(BinaryOp::Eq, left, _) = condition {
            let [inner] = is_call(left, "length")? else {
                return None;
            };
            is_call(inner, "distinct")?;
            return Some(Rule::Distinct);
        }
    }
    None
}

/// Returns values that break one CR name rule each, labelled for the run names: 2 to 30
/// characters of `[a-z0-9_-]`, starting and ending with a letter or digit.
fn bad_names() -> Vec<(&'static str, String)> {
    vec![
        ("too_short", "a".into()),
        ("too_long", "a".repeat(31)),
        ("uppercase", "UPPER".into()),
        ("asterisk", "a*b".into()),
        ("slash", "a/b".into()),
        ("leading_hyphen", "-ab".into()),
        ("trailing_underscore", "ab_".into()),
    ]
}

fn rejections(variable: &Variable, rule: Rule) -> Vec<HclRejection> {
    let name = variable.name.as_str();
    let run = |label: &str| format!("reject_{name}_{label}");
    match rule {
        Rule::Name => bad_names()
            .into_iter()
            .map(|(label, value)| HclRejection {
                run: run(label),
                variable: name.to_owned(),
                value: quote(&value),
            })
            .collect(),
        Rule::EachName => ["uppercase", "slash"]
            .into_iter()
            .zip(["UPPER", "a/b"])
            .map(|(label, bad)| HclRejection {
                run: run(label),
                variable: name.to_owned(),
                value: hcl_list(&["app".to_owned(), bad.to_owned()]),
            })
            .collect(),
        Rule::Distinct => vec![HclRejection {
            run: run("duplicate"),
            variable: name.to_owned(),
            value: hcl_list(&["app".to_owned(), "app".to_owned()]),
        }],
    }
}

fn validation_rejections(module: &Module) -> Result<Vec<HclRejection>, RenderError> {
    let mut runs = Vec::new();
    for variable in module.variables() {
        for validation in &variable.validations {
            let rule =
                classify(variable, validation).ok_or_else(|| RenderError::UnknownValidation {
                    variable: variable.name.to_string(),
                    message: validation.error_message.clone(),
                })?;
            runs.extend(rejections(variable, rule));
        }
    }
    Ok(runs)
}

fn domain_list() -> String {
    format!(
        "{{ public = {}, internal = {}, vpc = {} }}",
        quote(&format!("registry.{MOCK_REGION}.aliyuncs.com")),
        quote(&format!("registry-internal.{MOCK_REGION}.aliyuncs.com")),
        quote(&format!("registry-vpc.{MOCK_REGION}.aliyuncs.com")),
    )
}

/// Returns the address of one repository instance: keyed by position under `count`, by
/// name under `for_each`.
fn repository_address(config: &Config, index: usize, name: &str) -> String {
    match config.repositories.addressing {
        RepositoryAddressing::Count => {
            format!("alicloud_cr_repo.namespace_repositories[{index}]")
        }
        RepositoryAddressing::ForEach => {
            format!("alicloud_cr_repo.namespace_repositories[{}]", quote(name))
        }
    }
}

/// Asserts of the plan-only run: the names that the module derives from the namespace
/// and the ARNs of the policy document.
fn plan_asserts(config: &Config) -> Vec<HclAssert> {
    let ns = TFTEST_NAMESPACE;
    let fill = |pattern: &Pattern| quote(&pattern.fill(ns, ""));
    let mut asserts = vec![hcl_assert(
        "alicloud_cr_namespace.registry_namespace.name",
        &quote(ns),
    )];

    for (index, repository) in config.repositories.defaults.iter().enumerate() {
        let address = repository_address(config, index, repository.as_str());
        asserts.push(hcl_assert(
            &format!("{address}.name"),
            &quote(repository.as_str()),
        ));
        asserts.push(hcl_assert(
            &format!("{address}.summary"),
            &quote(&config.repositories.summary.fill(ns, repository.as_str())),
        ));
    }

    let user = "alicloud_ram_user.namespace_user";
    asserts.push(hcl_assert(
        &format!("{user}.name"),
        &fill(&config.ram_user.name),
    ));
    asserts.push(hcl_assert(
        &format!("{user}.display_name"),
        &fill(&config.ram_user.display_name),
    ));
    asserts.push(hcl_assert(
        &format!("{user}.comments"),
        &fill(&config.ram_user.comments),
    ));

    let policy = "alicloud_ram_policy.cr_namespace_policy";
    asserts.push(hcl_assert(
        &format!("{policy}.policy_name"),
        &fill(&config.ram_policy.name),
    ));
    asserts.push(hcl_assert(
        &format!("{policy}.description"),
        &fill(&config.ram_policy.description),
    ));

    let arn = format!("acs:cr:{MOCK_REGION}:{MOCK_ACCOUNT_ID}:repository/{ns}");
    asserts.push(hcl_assert(
        &format!("jsondecode({policy}.policy_document).Statement[0].Resource"),
        &hcl_list(&[arn.clone(), format!("{arn}/*")]),
    ));

    if let ConsoleLogin::Enabled { .. } = config.console_login {
        asserts.push(hcl_assert(
            "alicloud_ram_login_profile.namespace_console_user.user_name",
            &fill(&config.ram_user.name),
        ));
    }
    let secret_file = if config.access_key.write_secret_file {
        fill(&config.access_key.secret_file)
    } else {
        "null".to_owned()
    };
    asserts.push(hcl_assert(
        "alicloud_ram_access_key.cr_ak.secret_file",
        &secret_file,
    ));
    asserts
}

/// Values of computed attributes that the real provider returns after create, so that
/// the apply run checks each output against the attribute it should read.
fn apply_overrides(config: &Config) -> Vec<HclMock> {
    let ns = TFTEST_NAMESPACE;
    let user = config.ram_user.name.fill(ns, "");
    let policy = config.ram_policy.name.fill(ns, "");
    let mut overrides = vec![
        mock(
            "alicloud_cr_namespace.registry_namespace",
            &[("id", quote(ns))],
        ),
        mock(
            "alicloud_ram_policy.cr_namespace_policy",
            &[("type", quote("Custom"))],
        ),
        mock(
            "alicloud_ram_user_policy_attachment.cr_user_policy_attachment",
            &[("id", quote(&format!("user:{policy}:Custom:{user}")))],
        ),
        mock(
            "alicloud_ram_access_key.cr_ak",
            &[
                ("id", quote(MOCK_ACCESS_KEY_ID)),
                ("status", quote("Active")),
            ],
        ),
    ];
    // An override replaces the mock defaults of its resource, so it repeats domain_list.
    for (index, repository) in config.repositories.defaults.iter().enumerate() {
        overrides.push(mock(
            &repository_address(config, index, repository.as_str()),
            &[
                ("id", quote(&format!("{ns}/{repository}"))),
                ("domain_list", domain_list()),
            ],
        ));
    }
    overrides
}

fn apply_assert(config: &Config, output: OutputName) -> HclAssert {
    let ns = TFTEST_NAMESPACE;
    let user = config.ram_user.name.fill(ns, "");
    let policy = config.ram_policy.name.fill(ns, "");
    let subject = format!("output.{}", output.as_str());
    match output {
        OutputName::CrNamespace => hcl_assert(&subject, &quote(ns)),
        OutputName::CrAccessKey => hcl_assert(&subject, &quote(MOCK_ACCESS_KEY_ID)),
        OutputName::CrUser | OutputName::RamUser => hcl_assert(&subject, &quote(&user)),
        OutputName::CrEndpoint if config.repositories.defaults.is_empty() => {
            hcl_assert(&subject, "null")
        }
        OutputName::CrEndpoint => hcl_assert(
            &subject,
            &quote(&format!("registry.{MOCK_REGION}.aliyuncs.com")),
        ),
        OutputName::RamPolicyName => hcl_assert(&subject, &quote(&policy)),
        OutputName::RepositoryIds => {
            let ids: Vec<String> = config
                .repositories
                .defaults
                .iter()
                .map(|repository| format!("{ns}/{repository}"))
                .collect();
            hcl_assert(&subject, &hcl_list(&ids))
        }
        OutputName::RamConsoleUsername => hcl_assert(
            &subject,
            &quote(&format!("{user}@{MOCK_ACCOUNT_ID}.onaliyun.com")),
        ),
        OutputName::DisposablePassword => HclAssert {
            condition: format!("length(nonsensitive({subject})) == {PASSWORD_LENGTH}"),
            error_message: quote(&format!(
                "{subject} is not {PASSWORD_LENGTH} characters long"
            )),
        },
        OutputName::AccessKeyStatus => hcl_assert(&subject, &quote("Active")),
        OutputName::RamPolicyType => hcl_assert(&subject, &quote("Custom")),
        OutputName::RamPolicyAttachment => {
            hcl_assert(&subject, &quote(&format!("user:{policy}:Custom:{user}")))
        }
        OutputName::EncryptedSecret | OutputName::KeyFingerprint => HclAssert {
            condition: format!("length({subject}) > 0"),
            error_message: quote(&format!("{subject} is empty")),
        },
    }
}

fn tftest(config: &Config, module: &Module, header: &str) -> Result<String, RenderError> {
    let repositories: Vec<String> = config
        .repositories
        .defaults
        .iter()
        .map(|name| name.to_string())
        .collect();
    let variables = mock(
        "",
        &[
            ("namespace", quote(TFTEST_NAMESPACE)),
            ("repositories", hcl_list(&repositories)),
        ],
    );
    let mock_data = vec![
        mock(
            "alicloud_regions",
            &[("regions", format!("[{{ id = {} }}]", quote(MOCK_REGION)))],
        ),
        mock("alicloud_account", &[("id", quote(MOCK_ACCOUNT_ID))]),
    ];
    let mock_resources = vec![mock("alicloud_cr_repo", &[("domain_list", domain_list())])];
    let apply_asserts: Vec<HclAssert> = config
        .outputs
        .iter()
        .map(|&output| apply_assert(config, output))
        .collect();

    let mut context = Context::new();
    context.insert("header", header);
    context.insert("variables", &variables.lines);
    context.insert("mock_data", &mock_data);
    context.insert("mock_resources", &mock_resources);
    context.insert("plan_asserts", &plan_asserts(config));
    context.insert("rejections", &validation_rejections(module)?);
    context.insert("apply_overrides", &apply_overrides(config));
    context.insert("apply_asserts", &apply_asserts);
    render_template("suites/tftest.hcl", &context)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quote_escapes() {
        assert_eq!(go_quote("a\"b\\c\nd"), r#""a\"b\\c\nd""#);
    }

    #[test]
    fn go_pattern_joins_terms() {
        let pattern = Pattern::parse(
            "cr-{namespace}-ak.json",
            &[crate::config::Placeholder::Namespace],
        )
        .unwrap();
        assert_eq!(go_pattern(&pattern), r#""cr-" + namespace + "-ak.json""#);
    }

    #[test]
    fn every_default_rule_is_known() {
        let config = Config::default();
        let module = crate::module::build(&config);
        let runs = validation_rejections(&module).unwrap();
        assert!(runs
            .iter()
            .any(|run| run.run == "reject_namespace_too_short"));
        assert!(runs
            .iter()
            .any(|run| run.run == "reject_repositories_duplicate"));
    }

    #[test]
    fn testing_section_has_commands() {
        let section = testing_section(&Config::default()).unwrap();
        assert!(
            section.contains("terraform init\nterraform test\n"),
            "{section}"
        );
        assert!(section.contains("ALICLOUD_ACCESS_KEY"), "{section}");
        assert!(section.contains("ALICLOUD_SECRET_KEY"), "{section}");
        assert!(section.contains("ALICLOUD_REGION"), "{section}");
        assert!(
            section.contains("cd test && go mod tidy && go test -timeout 45m"),
            "{section}"
        );
        assert!(section.contains("`cr-<namespace>-ak.json`"), "{section}");
    }

    #[test]
    fn test_name_is_camel_case() {
        let mut config = Config::default();
        config.module.name = "container-registry".into();
        assert_eq!(go_test_name(&config), "TestContainerRegistryModule");
    }
}
