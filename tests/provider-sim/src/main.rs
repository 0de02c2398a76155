//! Offline emulator of the alicloud and random Terraform providers (plugin protocol v6).
//!
//! One binary serves every provider: it picks the one to serve from its own file name, so
//! a filesystem mirror can hold copies named `terraform-provider-alicloud_v…` and
//! `terraform-provider-random_v…`.

mod alicloud;
mod cloud;
mod random;
mod resource;
mod schema;
mod secret_file;
mod validate;
mod value;

use anyhow::{bail, Result};

use crate::schema::{ProviderSchemas, ALICLOUD_SCHEMA_JSON, RANDOM_SCHEMA_JSON};

fn main() -> Result<()> {
    // tf-provider attaches a captured backtrace to every diagnostic when backtraces are
    // enabled, which buries the message in Terraform's output. Set before any thread starts.
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    tokio::runtime::Runtime::new()?.block_on(serve())
}

async fn serve() -> Result<()> {
    let program = std::env::args().next().unwrap_or_default();
    let file_name = std::path::Path::new(&program)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    if file_name.contains("terraform-provider-random") {
        let provider = random::RandomProvider::new(ProviderSchemas::parse(RANDOM_SCHEMA_JSON)?);
        tf_provider::serve("random", provider).await
    } else if file_name.contains("terraform-provider-alicloud") {
        let schemas = ProviderSchemas::parse(ALICLOUD_SCHEMA_JSON)?;
        tf_provider::serve("alicloud", alicloud::AlicloudProvider::new(schemas)).await
    } else {
        bail!(
            "cannot tell which provider to serve from the program name {file_name:?}: \
             copy or link the binary as terraform-provider-alicloud_v<version> or \
             terraform-provider-random_v<version> (scripts/provider-mirror.sh does this)"
        )
    }
}
