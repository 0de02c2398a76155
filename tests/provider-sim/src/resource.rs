//! Generic plumbing between tf-provider's typed traits and the per-type behaviours.
//!
//! Planning follows the rules Terraform checks: a computed attribute that the
//! configuration leaves null is unknown in a create plan, and an argument that forces
//! replacement is returned in `requires_replace` when it differs from the prior state.

use async_trait::async_trait;
use serde_json::Value as Json;
use tf_provider::schema::Schema;
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, DataSource, Diagnostics, Resource};

use crate::schema::{computed_attributes, to_schema};
use crate::value::{get, nullify_unknown, object, Object};

/// An error to report as a Terraform diagnostic.
#[derive(Debug)]
pub struct SimError {
    pub summary: String,
    pub detail: String,
    pub attribute: Option<String>,
}

impl SimError {
    pub fn new(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            summary: summary.into(),
            detail: detail.into(),
            attribute: None,
        }
    }

    pub fn report(self, diags: &mut Diagnostics) {
        match self.attribute {
            Some(name) => diags.error(self.summary, self.detail, AttributePath::new(name)),
            None => diags.root_error(self.summary, self.detail),
        }
    }
}

impl From<anyhow::Error> for SimError {
    fn from(err: anyhow::Error) -> Self {
        SimError::new(format!("{err:#}"), "")
    }
}

pub type SimResult<T> = Result<T, SimError>;

/// Behaviour of one emulated resource type.
pub trait Behaviour: Send + Sync + 'static {
    /// Top-level arguments whose change forces a replacement.
    fn force_new(&self) -> &'static [&'static str];

    fn validate(&self, _config: &Object, _diags: &mut Diagnostics) {}

    /// Adjusts a plan after the generic rules ran. `prior` is `None` for a create.
    /// Returns more attributes that force replacement.
    fn plan(
        &self,
        _prior: Option<&Object>,
        _planned: &mut Object,
        _config: &Object,
        _diags: &mut Diagnostics,
    ) -> Vec<String> {
        Vec::new()
    }

    /// Creates the object and fills the planned unknown values.
    fn create(&self, planned: &mut Object) -> SimResult<()>;

    /// Returns the current object, or `None` when it no longer exists.
    fn read(&self, state: &Object) -> SimResult<Option<Object>>;

    fn update(&self, prior: &Object, planned: &mut Object) -> SimResult<()>;

    fn delete(&self, state: &Object) -> SimResult<()>;
}

/// A resource type served from a schema JSON entry and a behaviour.
pub struct SimResource<B: Behaviour> {
    schema_entry: Json,
    computed: Vec<String>,
    behaviour: B,
}

impl<B: Behaviour> SimResource<B> {
    pub fn new(schema_entry: &Json, behaviour: B) -> Self {
        Self {
            schema_entry: schema_entry.clone(),
            computed: computed_attributes(schema_entry),
            behaviour,
        }
    }

    fn finish(mut value: Object) -> ValueAny {
        let mut whole = ValueAny::Map(std::mem::take(&mut value));
        nullify_unknown(&mut whole);
        whole
    }
}

#[async_trait]
impl<B: Behaviour> Resource for SimResource<B> {
    type State<'a> = ValueAny;
    type PrivateState<'a> = ValueAny;
    type ProviderMetaState<'a> = ValueAny;

    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        match to_schema(&self.schema_entry) {
            Ok(schema) => Some(schema),
            Err(err) => {
                diags.root_error_short(format!("invalid schema: {err:#}"));
                None
            }
        }
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ValueAny) -> Option<()> {
        self.behaviour.validate(&object(config), diags);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        state: ValueAny,
        private_state: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        if matches!(state, ValueAny::Null) {
            return Some((ValueAny::Null, private_state));
        }
        let state = object(state);
        match self.behaviour.read(&state) {
            Ok(Some(current)) => {
                // Attributes the cloud does not store (or a hand-edited file dropped) keep
                // their state value.
                let mut merged = state;
                merged.extend(current);
                Some((Self::finish(merged), private_state))
            }
            Ok(None) => Some((ValueAny::Null, private_state)),
            Err(err) => {
                err.report(diags);
                None
            }
        }
    }

    async fn plan_create<'a>(
        &self,
        diags: &mut Diagnostics,
        proposed_state: ValueAny,
        config_state: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let mut planned = object(proposed_state);
        let config = object(config_state);
        for name in &self.computed {
            if matches!(get(&config, name), ValueAny::Null) {
                planned.insert(name.clone(), ValueAny::Unknown);
            }
        }
        self.behaviour.plan(None, &mut planned, &config, diags);
        Some((ValueAny::Map(planned), ValueAny::Null))
    }

    async fn plan_update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: ValueAny,
        proposed_state: ValueAny,
        config_state: ValueAny,
        prior_private_state: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<(ValueAny, ValueAny, Vec<AttributePath>)> {
        let prior = object(prior_state);
        let mut planned = object(proposed_state);
        let config = object(config_state);
        let mut replace: Vec<String> = self
            .behaviour
            .force_new()
            .iter()
            .filter(|name| get(&prior, name) != get(&planned, name))
            .map(|name| name.to_string())
            .collect();
        replace.extend(
            self.behaviour
                .plan(Some(&prior), &mut planned, &config, diags),
        );
        replace.sort();
        replace.dedup();
        let paths = replace.into_iter().map(AttributePath::new).collect();
        Some((ValueAny::Map(planned), prior_private_state, paths))
    }

    async fn plan_destroy<'a>(
        &self,
        _diags: &mut Diagnostics,
        _prior_state: ValueAny,
        prior_private_state: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<ValueAny> {
        Some(prior_private_state)
    }

    async fn create<'a>(
        &self,
        diags: &mut Diagnostics,
        planned_state: ValueAny,
        _config_state: ValueAny,
        planned_private_state: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let mut planned = object(planned_state);
        match self.behaviour.create(&mut planned) {
            Ok(()) => Some((Self::finish(planned), planned_private_state)),
            Err(err) => {
                err.report(diags);
                None
            }
        }
    }

    async fn update<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: ValueAny,
        planned_state: ValueAny,
        _config_state: ValueAny,
        planned_private_state: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let prior = object(prior_state);
        let mut planned = object(planned_state);
        match self.behaviour.update(&prior, &mut planned) {
            Ok(()) => Some((Self::finish(planned), planned_private_state)),
            Err(err) => {
                err.report(diags);
                None
            }
        }
    }

    async fn destroy<'a>(
        &self,
        diags: &mut Diagnostics,
        prior_state: ValueAny,
        _planned_private_state: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<()> {
        match self.behaviour.delete(&object(prior_state)) {
            Ok(()) => Some(()),
            Err(err) => {
                err.report(diags);
                None
            }
        }
    }
}

/// Behaviour of one emulated data source.
pub trait DataBehaviour: Send + Sync + 'static {
    fn validate(&self, _config: &Object, _diags: &mut Diagnostics) {}

    /// Fills the computed attributes of `config`.
    fn read(&self, config: &mut Object) -> SimResult<()>;
}

pub struct SimDataSource<B: DataBehaviour> {
    schema_entry: Json,
    behaviour: B,
}

impl<B: DataBehaviour> SimDataSource<B> {
    pub fn new(schema_entry: &Json, behaviour: B) -> Self {
        Self {
            schema_entry: schema_entry.clone(),
            behaviour,
        }
    }
}

#[async_trait]
impl<B: DataBehaviour> DataSource for SimDataSource<B> {
    type State<'a> = ValueAny;
    type ProviderMetaState<'a> = ValueAny;

    fn schema(&self, diags: &mut Diagnostics) -> Option<Schema> {
        match to_schema(&self.schema_entry) {
            Ok(schema) => Some(schema),
            Err(err) => {
                diags.root_error_short(format!("invalid schema: {err:#}"));
                None
            }
        }
    }

    async fn validate<'a>(&self, diags: &mut Diagnostics, config: ValueAny) -> Option<()> {
        self.behaviour.validate(&object(config), diags);
        Some(())
    }

    async fn read<'a>(
        &self,
        diags: &mut Diagnostics,
        config: ValueAny,
        _provider_meta_state: ValueAny,
    ) -> Option<ValueAny> {
        let mut state = object(config);
        match self.behaviour.read(&mut state) {
            Ok(()) => {
                let mut whole = ValueAny::Map(state);
                nullify_unknown(&mut whole);
                Some(whole)
            }
            Err(err) => {
                err.report(diags);
                None
            }
        }
    }
}
