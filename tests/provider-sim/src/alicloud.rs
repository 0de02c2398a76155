//! The emulated alicloud provider (served as aliyun/alicloud and hashicorp/alicloud).
//!
//! Arguments, ids and computed values follow terraform-provider-alicloud v1.289.0.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use async_trait::async_trait;
use rand::Rng;
use serde_json::Value as Json;
use tf_provider::schema::Schema;
use tf_provider::value::ValueAny;
use tf_provider::{Diagnostics, DynamicDataSource, DynamicResource, Provider};

use crate::cloud::with_cloud;
use crate::resource::{Behaviour, DataBehaviour, SimDataSource, SimError, SimResource, SimResult};
use crate::schema::{to_schema, ProviderSchemas};
use crate::secret_file::write_secret_file;
use crate::validate::{deprecated, json_string, length_between, one_of, Family};
use crate::value::{
    boolean, fill_unknown, from_json, get, is_null, object, object_to_json, set_string, string,
    utc_now_rfc3339, Object,
};

/// Region used when neither the provider block nor the environment sets one.
pub const DEFAULT_REGION: &str = "cn-beijing";
/// Account id that `data.alicloud_account` returns unless `PROVIDER_SIM_ACCOUNT_ID` is set.
pub const DEFAULT_ACCOUNT_ID: &str = "1234567890123456";
pub const ACCOUNT_ID_ENV: &str = "PROVIDER_SIM_ACCOUNT_ID";

const NAMESPACE: &str = "alicloud_cr_namespace";
const REPO: &str = "alicloud_cr_repo";
const POLICY: &str = "alicloud_ram_policy";
const USER: &str = "alicloud_ram_user";
const LOGIN_PROFILE: &str = "alicloud_ram_login_profile";
const ATTACHMENT: &str = "alicloud_ram_user_policy_attachment";
const ACCESS_KEY: &str = "alicloud_ram_access_key";

/// Maximum number of access keys the RAM API allows per user.
const MAX_ACCESS_KEYS_PER_USER: usize = 2;

/// Provider settings that resources read after `ConfigureProvider`.
pub struct Settings {
    region: RwLock<String>,
}

impl Settings {
    fn new() -> Self {
        Self {
            region: RwLock::new(region_from_env()),
        }
    }

    pub fn region(&self) -> String {
        self.region
            .read()
            .map(|region| region.clone())
            .unwrap_or_else(|_| DEFAULT_REGION.to_string())
    }
}

fn region_from_env() -> String {
    ["ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .unwrap_or_else(|| DEFAULT_REGION.to_string())
}

pub struct AlicloudProvider {
    schemas: Arc<ProviderSchemas>,
    settings: Arc<Settings>,
}

impl AlicloudProvider {
    pub fn new(schemas: ProviderSchemas) -> Self {
        Self {
            schemas: Arc::new(schemas),
            settings: Arc::new(Settings::new()),
        }
    }

    fn resource<B: Behaviour>(
        &self,
        type_name: &str,
        behaviour: B,
        diags: &mut Diagnostics,
    ) -> Option<(String, Box<dyn DynamicResource>)> {
        match self.schemas.resource(type_name) {
            Ok(entry) => Some((
                short_name(type_name),
                Box::new(SimResource::new(entry, behaviour)),
            )),
            Err(err) => {
                diags.root_error_short(format!("{err:#}"));
                None
            }
        }
    }
}

/// tf-provider prefixes each type name with the provider name and `_`.
fn short_name(type_name: &str) -> String {
    type_name
        .strip_prefix("alicloud_")
        .unwrap_or(type_name)
        .to_string()
}

#[async_trait]
impl Provider for AlicloudProvider {
    type Config<'a> = ValueAny;
    type MetaState<'a> = ValueAny;

    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        match to_schema(&self.schemas.provider) {
            Ok(schema) => Some(schema),
            Err(err) => {
                diags.root_error_short(format!("invalid provider schema: {err:#}"));
                None
            }
        }
    }

    async fn configure<'a>(
        &self,
        diags: &mut Diagnostics,
        _terraform_version: String,
        config: ValueAny,
    ) -> Option<()> {
        // Checked here so that a plan fails early, not only the first cloud access.
        if let Err(err) = crate::cloud::cloud_path() {
            diags.root_error_short(format!("{err:#}"));
            return Some(());
        }
        let config = object(config);
        if let Some(region) = string(&config, "region").filter(|region| !region.is_empty()) {
            if let Ok(mut current) = self.settings.region.write() {
                *current = region;
            }
        }
        Some(())
    }

    fn get_resources(
        &self,
        diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        let settings = self.settings.clone();
        let entries = [
            self.resource(NAMESPACE, CrNamespace, diags),
            self.resource(REPO, CrRepo { settings }, diags),
            self.resource(POLICY, RamPolicy, diags),
            self.resource(USER, RamUser, diags),
            self.resource(LOGIN_PROFILE, RamLoginProfile, diags),
            self.resource(ATTACHMENT, RamUserPolicyAttachment, diags),
            self.resource(ACCESS_KEY, RamAccessKey, diags),
        ];
        Some(entries.into_iter().flatten().collect())
    }

    fn get_data_sources(
        &self,
        diags: &mut Diagnostics,
    ) -> Option<HashMap<String, Box<dyn DynamicDataSource>>> {
        let mut sources: HashMap<String, Box<dyn DynamicDataSource>> = HashMap::new();
        match self.schemas.data_source("alicloud_account") {
            Ok(entry) => {
                sources.insert(
                    "account".into(),
                    Box::new(SimDataSource::new(entry, Account)),
                );
            }
            Err(err) => diags.root_error_short(format!("{err:#}")),
        }
        match self.schemas.data_source("alicloud_regions") {
            Ok(entry) => {
                let behaviour = Regions {
                    settings: self.settings.clone(),
                };
                sources.insert(
                    "regions".into(),
                    Box::new(SimDataSource::new(entry, behaviour)),
                );
            }
            Err(err) => diags.root_error_short(format!("{err:#}")),
        }
        Some(sources)
    }
}

// ---------------------------------------------------------------------------
// Cloud access shared by the resources

fn api_error(type_name: &str, action: &str, code: &str, message: String) -> SimError {
    SimError::new(
        format!("{type_name} {action} failed: {code}: {message}"),
        format!("The emulated API rejected {action} with error code {code}."),
    )
}

fn required_string(obj: &Object, name: &str) -> SimResult<String> {
    string(obj, name).ok_or_else(|| {
        SimError::new(
            format!("argument {name} is missing or unknown at apply time"),
            "Set the argument in the configuration.",
        )
    })
}

fn id_of(state: &Object) -> SimResult<String> {
    required_string(state, "id")
}

fn stored(data: &crate::cloud::CloudData, type_name: &str, id: &str) -> Option<Object> {
    data.get(type_name)
        .and_then(|objects| objects.get(id))
        .map(|json| object(from_json(json)))
}

fn stored_objects(data: &crate::cloud::CloudData, type_name: &str) -> Vec<Object> {
    data.get(type_name)
        .map(|objects| {
            objects
                .values()
                .map(|json| object(from_json(json)))
                .collect()
        })
        .unwrap_or_default()
}

fn put(data: &mut crate::cloud::CloudData, type_name: &str, id: &str, obj: &Object) {
    data.entry(type_name.to_string())
        .or_default()
        .insert(id.to_string(), object_to_json(obj));
}

fn read_stored(type_name: &str, state: &Object) -> SimResult<Option<Object>> {
    let id = id_of(state)?;
    Ok(with_cloud(|data| Ok(stored(data, type_name, &id)))?)
}

fn update_stored(type_name: &str, planned: &Object) -> SimResult<()> {
    let id = id_of(planned)?;
    with_cloud(|data| {
        put(data, type_name, &id, planned);
        Ok(())
    })?;
    Ok(())
}

fn delete_stored(type_name: &str, state: &Object) -> SimResult<()> {
    let id = id_of(state)?;
    with_cloud(|data| {
        if let Some(objects) = data.get_mut(type_name) {
            objects.remove(&id);
        }
        Ok(())
    })?;
    Ok(())
}

fn user_exists(data: &crate::cloud::CloudData, user_name: &str) -> bool {
    stored_objects(data, USER)
        .iter()
        .any(|user| string(user, "name").as_deref() == Some(user_name))
}

fn missing_user(type_name: &str, action: &str, user_name: &str) -> SimError {
    api_error(
        type_name,
        action,
        "EntityNotExist.User",
        format!("RAM user {user_name} does not exist"),
    )
}

fn random_alphanumeric(length: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..length)
        .map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char)
        .collect()
}

fn deprecated_resource(replacement: &str, diags: &mut Diagnostics) {
    diags.root_warning_short(format!(
        "This resource has been deprecated since v1.276.0 and will be removed in the future. \
         Please use '{replacement}' instead."
    ));
}

// ---------------------------------------------------------------------------
// alicloud_cr_namespace: id = namespace name

struct CrNamespace;

impl Behaviour for CrNamespace {
    fn force_new(&self) -> &'static [&'static str] {
        &["name"]
    }

    fn validate(&self, config: &Object, diags: &mut Diagnostics) {
        deprecated_resource("alicloud_cr_ee_namespace", diags);
        length_between(config, "name", 2, 30, Family::Sdk, diags);
        one_of(
            config,
            "default_visibility",
            &["PUBLIC", "PRIVATE"],
            Family::Sdk,
            diags,
        );
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let name = required_string(planned, "name")?;
        set_string(planned, "id", name.clone());
        with_cloud(|data| {
            if stored(data, NAMESPACE, &name).is_some() {
                return Ok(Err(api_error(
                    NAMESPACE,
                    "CreateNamespace",
                    "NAMESPACE_ALREADY_EXIST",
                    format!("namespace {name} already exists"),
                )));
            }
            put(data, NAMESPACE, &name, planned);
            Ok(Ok(()))
        })?
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        read_stored(NAMESPACE, state)
    }

    fn update(&self, _prior: &Object, planned: &mut Object) -> SimResult<()> {
        update_stored(NAMESPACE, planned)
    }

    fn delete(&self, state: &Object) -> SimResult<()> {
        delete_stored(NAMESPACE, state)
    }
}

// ---------------------------------------------------------------------------
// alicloud_cr_repo: id = "<namespace>/<name>"

struct CrRepo {
    settings: Arc<Settings>,
}

impl Behaviour for CrRepo {
    fn force_new(&self) -> &'static [&'static str] {
        &["namespace", "name"]
    }

    fn validate(&self, config: &Object, diags: &mut Diagnostics) {
        deprecated_resource("alicloud_cr_ee_repo", diags);
        length_between(config, "namespace", 2, 30, Family::Sdk, diags);
        length_between(config, "name", 2, 30, Family::Sdk, diags);
        length_between(config, "summary", 1, 100, Family::Sdk, diags);
        one_of(
            config,
            "repo_type",
            &["PUBLIC", "PRIVATE"],
            Family::Sdk,
            diags,
        );
        length_between(config, "detail", 0, 2000, Family::Sdk, diags);
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let namespace = required_string(planned, "namespace")?;
        let name = required_string(planned, "name")?;
        let id = format!("{namespace}/{name}");
        let region = self.settings.region();
        set_string(planned, "id", id.clone());
        let domains = [
            ("public", format!("registry.{region}.aliyuncs.com")),
            (
                "internal",
                format!("registry-internal.{region}.aliyuncs.com"),
            ),
            ("vpc", format!("registry-vpc.{region}.aliyuncs.com")),
        ];
        let domain_list = domains
            .into_iter()
            .map(|(key, host)| (key.to_string(), ValueAny::String(host)))
            .collect();
        fill_unknown(planned, "domain_list", ValueAny::Map(domain_list));
        with_cloud(|data| {
            if stored(data, NAMESPACE, &namespace).is_none() {
                return Ok(Err(api_error(
                    REPO,
                    "CreateRepo",
                    "NAMESPACE_NOT_EXIST",
                    format!("namespace {namespace} does not exist"),
                )));
            }
            if stored(data, REPO, &id).is_some() {
                return Ok(Err(api_error(
                    REPO,
                    "CreateRepo",
                    "REPO_ALREADY_EXIST",
                    format!("repository {id} already exists"),
                )));
            }
            put(data, REPO, &id, planned);
            Ok(Ok(()))
        })?
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        read_stored(REPO, state)
    }

    fn update(&self, _prior: &Object, planned: &mut Object) -> SimResult<()> {
        update_stored(REPO, planned)
    }

    fn delete(&self, state: &Object) -> SimResult<()> {
        delete_stored(REPO, state)
    }
}

// ---------------------------------------------------------------------------
// alicloud_ram_policy: id = policy name

struct RamPolicy;

const POLICY_NAME_DEPRECATION: &str =
    "Field 'name' has been deprecated from provider version 1.114.0. New field 'policy_name' instead.";
const POLICY_DOCUMENT_DEPRECATION: &str =
    "Field 'document' has been deprecated from provider version 1.114.0. New field 'policy_document' instead.";
const POLICY_VERSION_DEPRECATION: &str =
    "Field 'version' has been deprecated from version 1.49.0, and use field 'document' to replace. ";
const POLICY_STATEMENT_DEPRECATION: &str =
    "Field 'statement' has been deprecated from version 1.49.0, and use field 'document' to replace. ";

/// Compares two policy documents as JSON values, as the provider's DiffSuppressFunc does.
fn json_equivalent(left: &ValueAny, right: &ValueAny) -> bool {
    match (left, right) {
        (ValueAny::String(a), ValueAny::String(b)) => {
            match (
                serde_json::from_str::<Json>(a),
                serde_json::from_str::<Json>(b),
            ) {
                (Ok(a), Ok(b)) => a == b,
                _ => a == b,
            }
        }
        _ => false,
    }
}

/// Builds a policy document from the deprecated `statement` blocks and `version`.
fn document_from_statements(planned: &Object) -> Option<String> {
    let ValueAny::List(statements) = get(planned, "statement") else {
        return None;
    };
    if statements.is_empty() {
        return None;
    }
    let statements: Vec<Json> = statements
        .iter()
        .map(|statement| {
            let statement = match statement {
                ValueAny::Map(map) => map.clone(),
                _ => Object::new(),
            };
            serde_json::json!({
                "Effect": crate::value::to_json(get(&statement, "effect")),
                "Action": crate::value::to_json(get(&statement, "action")),
                "Resource": crate::value::to_json(get(&statement, "resource")),
            })
        })
        .collect();
    let version = string(planned, "version").unwrap_or_else(|| "1".to_string());
    Some(serde_json::json!({"Statement": statements, "Version": version}).to_string())
}

fn next_version(version_id: Option<String>) -> String {
    let current = version_id
        .and_then(|id| id.trim_start_matches('v').parse::<u64>().ok())
        .unwrap_or(1);
    format!("v{}", current + 1)
}

impl Behaviour for RamPolicy {
    fn force_new(&self) -> &'static [&'static str] {
        &["policy_name", "name"]
    }

    fn validate(&self, config: &Object, diags: &mut Diagnostics) {
        deprecated(config, "name", POLICY_NAME_DEPRECATION, diags);
        deprecated(config, "document", POLICY_DOCUMENT_DEPRECATION, diags);
        deprecated(config, "version", POLICY_VERSION_DEPRECATION, diags);
        deprecated(config, "statement", POLICY_STATEMENT_DEPRECATION, diags);
        json_string(config, "policy_document", diags);
        json_string(config, "document", diags);
        one_of(config, "version", &["1"], Family::Alicloud, diags);
        one_of(
            config,
            "rotate_strategy",
            &["DeleteOldestNonDefaultVersionWhenLimitExceeded", "None"],
            Family::Sdk,
            diags,
        );
        let conflicts: [(&str, &[&str]); 2] = [
            ("policy_document", &["document", "version", "statement"]),
            ("policy_name", &["name"]),
        ];
        for (name, others) in conflicts {
            if is_null(config, name) {
                continue;
            }
            for other in others {
                let other_set = match get(config, other) {
                    ValueAny::Null => false,
                    ValueAny::List(items) => !items.is_empty(),
                    _ => true,
                };
                if other_set {
                    diags.error_short(
                        format!("{name:?}: conflicts with {other}"),
                        tf_provider::AttributePath::new(name.to_string()),
                    );
                }
            }
        }
    }

    fn plan(
        &self,
        prior: Option<&Object>,
        planned: &mut Object,
        config: &Object,
        _diags: &mut Diagnostics,
    ) -> Vec<String> {
        // Read sets both the new and the deprecated twin of name and document.
        let twins = [("policy_name", "name"), ("policy_document", "document")];
        for (current, old) in twins {
            if is_null(config, old) && !is_null(config, current) {
                planned.insert(old.to_string(), get(planned, current).clone());
            }
            if is_null(config, current) && !is_null(config, old) {
                planned.insert(current.to_string(), get(planned, old).clone());
            }
        }
        if let Some(prior) = prior {
            for name in ["policy_document", "document"] {
                if json_equivalent(get(prior, name), get(planned, name)) {
                    planned.insert(name.to_string(), get(prior, name).clone());
                }
            }
            let changed = ["policy_document", "document", "statement", "version"]
                .iter()
                .any(|name| get(prior, name) != get(planned, name));
            if changed {
                planned.insert("version_id".into(), ValueAny::Unknown);
                planned.insert("default_version".into(), ValueAny::Unknown);
                // With only `statement` configured, Read derives both documents.
                if is_null(config, "policy_document") && is_null(config, "document") {
                    planned.insert("policy_document".into(), ValueAny::Unknown);
                    planned.insert("document".into(), ValueAny::Unknown);
                }
            }
        } else {
            planned.insert("type".into(), ValueAny::String("Custom".into()));
        }
        Vec::new()
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let name = string(planned, "policy_name")
            .or_else(|| string(planned, "name"))
            .ok_or_else(|| {
                SimError::new(
                    "policy_name of alicloud_ram_policy is missing",
                    "Set policy_name (or the deprecated name) in the configuration.",
                )
            })?;
        let document = string(planned, "policy_document")
            .or_else(|| string(planned, "document"))
            .or_else(|| document_from_statements(planned))
            .ok_or_else(|| {
                SimError::new(
                    "policy document of alicloud_ram_policy is missing",
                    "Set one of policy_document, document or statement.",
                )
            })?;
        for key in ["id", "policy_name", "name"] {
            set_string(planned, key, name.clone());
        }
        for key in ["policy_document", "document"] {
            fill_unknown(planned, key, ValueAny::String(document.clone()));
        }
        fill_unknown(planned, "type", ValueAny::String("Custom".into()));
        fill_unknown(planned, "version_id", ValueAny::String("v1".into()));
        fill_unknown(planned, "default_version", ValueAny::String("v1".into()));
        fill_unknown(planned, "attachment_count", ValueAny::Number(0));
        fill_unknown(planned, "create_time", ValueAny::String(utc_now_rfc3339()));
        with_cloud(|data| {
            if stored(data, POLICY, &name).is_some() {
                return Ok(Err(api_error(
                    POLICY,
                    "CreatePolicy",
                    "EntityAlreadyExists.Policy",
                    format!("policy {name} already exists"),
                )));
            }
            put(data, POLICY, &name, planned);
            Ok(Ok(()))
        })?
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        let id = id_of(state)?;
        Ok(with_cloud(|data| {
            let Some(mut policy) = stored(data, POLICY, &id) else {
                return Ok(None);
            };
            let attached = stored_objects(data, ATTACHMENT)
                .iter()
                .filter(|attachment| {
                    string(attachment, "policy_name").as_deref() == Some(id.as_str())
                        && string(attachment, "policy_type").as_deref() == Some("Custom")
                })
                .count();
            policy.insert("attachment_count".into(), ValueAny::Number(attached as i64));
            Ok(Some(policy))
        })?)
    }

    fn update(&self, prior: &Object, planned: &mut Object) -> SimResult<()> {
        let document = string(planned, "policy_document")
            .or_else(|| string(planned, "document"))
            .or_else(|| document_from_statements(planned));
        if let Some(document) = document {
            for key in ["policy_document", "document"] {
                fill_unknown(planned, key, ValueAny::String(document.clone()));
            }
        }
        let version = next_version(string(prior, "version_id"));
        fill_unknown(planned, "version_id", ValueAny::String(version.clone()));
        fill_unknown(planned, "default_version", ValueAny::String(version));
        update_stored(POLICY, planned)
    }

    fn delete(&self, state: &Object) -> SimResult<()> {
        delete_stored(POLICY, state)
    }
}

// ---------------------------------------------------------------------------
// alicloud_ram_user: id = numeric user id. The name is unique and can change in place.

struct RamUser;

impl Behaviour for RamUser {
    fn force_new(&self) -> &'static [&'static str] {
        &[]
    }

    fn validate(&self, config: &Object, diags: &mut Diagnostics) {
        length_between(config, "comments", 0, 128, Family::Alicloud, diags);
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let name = required_string(planned, "name")?;
        with_cloud(|data| {
            if user_exists(data, &name) {
                return Ok(Err(api_error(
                    USER,
                    "CreateUser",
                    "EntityAlreadyExists.User",
                    format!("RAM user {name} already exists"),
                )));
            }
            let mut rng = rand::thread_rng();
            let id = loop {
                let candidate = rng.gen_range(100_000_000_000_000u64..1_000_000_000_000_000);
                let candidate = format!("2{candidate}");
                if stored(data, USER, &candidate).is_none() {
                    break candidate;
                }
            };
            set_string(planned, "id", id.clone());
            put(data, USER, &id, planned);
            Ok(Ok(()))
        })?
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        read_stored(USER, state)
    }

    fn update(&self, prior: &Object, planned: &mut Object) -> SimResult<()> {
        let id = id_of(planned)?;
        let name = required_string(planned, "name")?;
        let renamed = string(prior, "name").as_deref() != Some(name.as_str());
        with_cloud(|data| {
            if renamed && user_exists(data, &name) {
                return Ok(Err(api_error(
                    USER,
                    "UpdateUser",
                    "EntityAlreadyExists.User",
                    format!("RAM user {name} already exists"),
                )));
            }
            // NOTE: the real API keeps a renamed user's keys, policies and login profile, but
            // the emulator leaves those objects under the old user name.
            put(data, USER, &id, planned);
            Ok(Ok(()))
        })?
    }

    fn delete(&self, state: &Object) -> SimResult<()> {
        delete_stored(USER, state)
    }
}

// ---------------------------------------------------------------------------
// alicloud_ram_login_profile: id = user name

struct RamLoginProfile;

impl Behaviour for RamLoginProfile {
    fn force_new(&self) -> &'static [&'static str] {
        &["user_name"]
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let user_name = required_string(planned, "user_name")?;
        set_string(planned, "id", user_name.clone());
        fill_unknown(planned, "mfa_bind_required", ValueAny::Bool(false));
        fill_unknown(planned, "create_time", ValueAny::String(utc_now_rfc3339()));
        with_cloud(|data| {
            if !user_exists(data, &user_name) {
                return Ok(Err(missing_user(
                    LOGIN_PROFILE,
                    "CreateLoginProfile",
                    &user_name,
                )));
            }
            if stored(data, LOGIN_PROFILE, &user_name).is_some() {
                return Ok(Err(api_error(
                    LOGIN_PROFILE,
                    "CreateLoginProfile",
                    "EntityAlreadyExists.User.LoginProfile",
                    format!("login profile of RAM user {user_name} already exists"),
                )));
            }
            put(data, LOGIN_PROFILE, &user_name, planned);
            Ok(Ok(()))
        })?
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        read_stored(LOGIN_PROFILE, state)
    }

    fn update(&self, _prior: &Object, planned: &mut Object) -> SimResult<()> {
        update_stored(LOGIN_PROFILE, planned)
    }

    fn delete(&self, state: &Object) -> SimResult<()> {
        delete_stored(LOGIN_PROFILE, state)
    }
}

// ---------------------------------------------------------------------------
// alicloud_ram_user_policy_attachment: id = "user:<policy_name>:<policy_type>:<user_name>"

struct RamUserPolicyAttachment;

impl Behaviour for RamUserPolicyAttachment {
    fn force_new(&self) -> &'static [&'static str] {
        &["policy_name", "policy_type", "user_name"]
    }

    fn validate(&self, config: &Object, diags: &mut Diagnostics) {
        // NOTE: assumed to be the SDK validator; v1.289.0 may use the alicloud wrapper,
        // which adds a note about TF_SKIP_RESOURCE_SCHEMA_VALIDATION.
        one_of(
            config,
            "policy_type",
            &["System", "Custom"],
            Family::Sdk,
            diags,
        );
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let policy_name = required_string(planned, "policy_name")?;
        let policy_type = required_string(planned, "policy_type")?;
        let user_name = required_string(planned, "user_name")?;
        let id = format!("user:{policy_name}:{policy_type}:{user_name}");
        set_string(planned, "id", id.clone());
        with_cloud(|data| {
            if !user_exists(data, &user_name) {
                return Ok(Err(missing_user(
                    ATTACHMENT,
                    "AttachPolicyToUser",
                    &user_name,
                )));
            }
            if policy_type == "Custom" && stored(data, POLICY, &policy_name).is_none() {
                return Ok(Err(api_error(
                    ATTACHMENT,
                    "AttachPolicyToUser",
                    "EntityNotExist.Policy",
                    format!("policy {policy_name} does not exist"),
                )));
            }
            if stored(data, ATTACHMENT, &id).is_some() {
                return Ok(Err(api_error(
                    ATTACHMENT,
                    "AttachPolicyToUser",
                    "EntityAlreadyExists.User.Policy",
                    format!("attachment {id} already exists"),
                )));
            }
            put(data, ATTACHMENT, &id, planned);
            Ok(Ok(()))
        })?
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        read_stored(ATTACHMENT, state)
    }

    fn update(&self, _prior: &Object, planned: &mut Object) -> SimResult<()> {
        update_stored(ATTACHMENT, planned)
    }

    fn delete(&self, state: &Object) -> SimResult<()> {
        delete_stored(ATTACHMENT, state)
    }
}

// ---------------------------------------------------------------------------
// alicloud_ram_access_key: id = AccessKeyId

struct RamAccessKey;

impl Behaviour for RamAccessKey {
    fn force_new(&self) -> &'static [&'static str] {
        &["user_name", "secret_file", "pgp_key"]
    }

    fn validate(&self, config: &Object, diags: &mut Diagnostics) {
        one_of(
            config,
            "status",
            &["Active", "Inactive"],
            Family::Sdk,
            diags,
        );
        if string(config, "pgp_key").is_some_and(|key| key.starts_with("keybase:")) {
            diags.error(
                "keybase pgp_key values are not supported by the provider emulator",
                "The real provider fetches keybase keys from keybase.io, and the emulator \
                 reaches no network. Pass a base64-encoded public key instead.",
                tf_provider::AttributePath::new("pgp_key"),
            );
        }
    }

    fn create(&self, planned: &mut Object) -> SimResult<()> {
        let user_name = string(planned, "user_name");
        let access_key_id = format!("LTAI{}", random_alphanumeric(20));
        let secret = random_alphanumeric(30);
        let create_time = utc_now_rfc3339();
        set_string(planned, "id", access_key_id.clone());
        fill_unknown(planned, "status", ValueAny::String("Active".into()));
        // As the provider does: with a PGP key the secret is only returned encrypted, and
        // the plaintext `secret` attribute stays empty.
        match string(planned, "pgp_key").filter(|key| !key.is_empty()) {
            Some(key) => {
                fill_unknown(planned, "secret", ValueAny::Null);
                fill_unknown(
                    planned,
                    "encrypted_secret",
                    ValueAny::String(emulated_encryption(&secret)),
                );
                fill_unknown(
                    planned,
                    "key_fingerprint",
                    ValueAny::String(emulated_fingerprint(&key)),
                );
            }
            None => {
                fill_unknown(planned, "secret", ValueAny::String(secret.clone()));
                fill_unknown(planned, "encrypted_secret", ValueAny::Null);
                fill_unknown(planned, "key_fingerprint", ValueAny::Null);
            }
        }
        fill_unknown(
            planned,
            "create_time",
            ValueAny::String(create_time.clone()),
        );
        with_cloud(|data| {
            if let Some(user_name) = &user_name {
                if !user_exists(data, user_name) {
                    return Ok(Err(missing_user(ACCESS_KEY, "CreateAccessKey", user_name)));
                }
                let keys = stored_objects(data, ACCESS_KEY)
                    .iter()
                    .filter(|key| string(key, "user_name").as_ref() == Some(user_name))
                    .count();
                if keys >= MAX_ACCESS_KEYS_PER_USER {
                    return Ok(Err(api_error(
                        ACCESS_KEY,
                        "CreateAccessKey",
                        "LimitExceeded.User.AccessKey",
                        format!("RAM user {user_name} already has {keys} access keys, the maximum"),
                    )));
                }
            }
            put(data, ACCESS_KEY, &access_key_id, planned);
            Ok(Ok(()))
        })??;
        if let Some(path) = string(planned, "secret_file").filter(|path| !path.is_empty()) {
            let status = string(planned, "status").unwrap_or_else(|| "Active".into());
            // The provider ignores write errors, and so does the emulator.
            let _ = write_secret_file(&path, &access_key_id, &secret, &status, &create_time);
        }
        Ok(())
    }

    fn read(&self, state: &Object) -> SimResult<Option<Object>> {
        read_stored(ACCESS_KEY, state)
    }

    fn update(&self, _prior: &Object, planned: &mut Object) -> SimResult<()> {
        update_stored(ACCESS_KEY, planned)
    }

    fn delete(&self, state: &Object) -> SimResult<()> {
        delete_stored(ACCESS_KEY, state)
    }
}

/// Stands in for PGP encryption: base64 of a marked copy of the secret. It is not
/// encryption, and only shows that the value passes through `encrypted_secret`.
fn emulated_encryption(secret: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = format!("provider-sim-pgp:{secret}").into_bytes();
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Derives a stable 40-hex-digit fingerprint from the key text with FNV-1a, in place of
/// the key's real OpenPGP fingerprint.
fn emulated_fingerprint(key: &str) -> String {
    let mut out = String::new();
    for round in 0u64..3 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ round;
        for byte in key.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{hash:016x}"));
    }
    out.truncate(40);
    out
}

// ---------------------------------------------------------------------------
// Data sources

struct Account;

impl DataBehaviour for Account {
    fn read(&self, config: &mut Object) -> SimResult<()> {
        let id = std::env::var(ACCOUNT_ID_ENV)
            .ok()
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| DEFAULT_ACCOUNT_ID.to_string());
        set_string(config, "id", id);
        Ok(())
    }
}

struct Regions {
    settings: Arc<Settings>,
}

/// Regions that `data.alicloud_regions` lists when neither `name` nor `current` is set.
// NOTE: a fixed subset of the public regions. The real API lists the account's regions,
// and its local names may differ.
const KNOWN_REGIONS: &[(&str, &str)] = &[
    ("cn-beijing", "China (Beijing)"),
    ("cn-hangzhou", "China (Hangzhou)"),
    ("cn-shanghai", "China (Shanghai)"),
    ("cn-shenzhen", "China (Shenzhen)"),
    ("cn-hongkong", "China (Hong Kong)"),
    ("ap-southeast-1", "Singapore"),
    ("eu-central-1", "Germany (Frankfurt)"),
    ("us-west-1", "US (Silicon Valley)"),
];

fn local_name(region: &str) -> String {
    KNOWN_REGIONS
        .iter()
        .find(|(id, _)| *id == region)
        .map(|(_, name)| name.to_string())
        .unwrap_or_else(|| region.to_string())
}

/// FNV-1a hash, used for the data source id (the provider hashes the ids too).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl DataBehaviour for Regions {
    fn read(&self, config: &mut Object) -> SimResult<()> {
        let provider_region = self.settings.region();
        let current = boolean(config, "current").unwrap_or(false);
        let name = string(config, "name");
        if let (true, Some(name)) = (current, &name) {
            if *name != provider_region {
                return Err(SimError {
                    summary: format!(
                        "region name {name} does not match the provider region {provider_region}"
                    ),
                    detail: "Remove name, or set current = false.".into(),
                    attribute: Some("name".into()),
                });
            }
        }
        let ids: Vec<String> = if current {
            vec![provider_region.clone()]
        } else if let Some(name) = &name {
            vec![name.clone()]
        } else {
            KNOWN_REGIONS.iter().map(|(id, _)| id.to_string()).collect()
        };
        let regions = ids
            .iter()
            .map(|id| {
                ValueAny::Map(Object::from([
                    ("id".to_string(), ValueAny::String(id.clone())),
                    ("local_name".to_string(), ValueAny::String(local_name(id))),
                    ("region_id".to_string(), ValueAny::String(id.clone())),
                ]))
            })
            .collect();
        config.insert("current".into(), ValueAny::Bool(current));
        if name.is_none() {
            let single = if ids.len() == 1 {
                ids[0].clone()
            } else {
                String::new()
            };
            set_string(config, "name", single);
        }
        set_string(config, "id", fnv1a(&ids.join(",")).to_string());
        config.insert(
            "ids".into(),
            ValueAny::List(ids.iter().cloned().map(ValueAny::String).collect()),
        );
        config.insert("regions".into(), ValueAny::List(regions));
        if let Some(path) = string(config, "output_file").filter(|path| !path.is_empty()) {
            let listing = crate::value::to_json(get(config, "regions"));
            let _ = crate::secret_file::write_json_file(&path, &listing);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::number;

    #[test]
    fn equivalent_documents_compare_equal() {
        let a = ValueAny::String(r#"{"Version":"1","Statement":[]}"#.into());
        let b = ValueAny::String(r#"{ "Statement": [], "Version": "1" }"#.into());
        assert!(json_equivalent(&a, &b));
    }

    #[test]
    fn different_documents_compare_unequal() {
        let a = ValueAny::String(r#"{"Version":"1"}"#.into());
        let b = ValueAny::String(r#"{"Version":"2"}"#.into());
        assert!(!json_equivalent(&a, &b));
    }

    #[test]
    fn policy_version_increments() {
        assert_eq!(next_version(Some("v1".into())), "v2");
        assert_eq!(next_version(None), "v2");
    }

    #[test]
    fn number_helper_reads_numbers() {
        let obj = Object::from([("n".to_string(), ValueAny::Number(3))]);
        assert_eq!(number(&obj, "n"), Some(3));
    }
}
