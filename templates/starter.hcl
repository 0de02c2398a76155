# cr-modgen config: describes the Terraform module to generate.
#
# Every key is optional. The values below are the defaults, which reproduce the interface
# of the registry module roura356a/cr/alicloud 1.3.0. Patterns take the placeholders
# {namespace} (the module's `namespace` input) and, in the repository summary,
# {repository}; write {{ and }} for literal braces. Free text is normalised to Unicode NFC.

# Registry identity of the generated module: its source is "<namespace>/<name>/<provider>".
module {
  namespace   = "roura356a"
  name        = "cr"
  provider    = "alicloud"
  version     = "1.3.0"
  description = "Alibaba Cloud Container Registry namespace and repositories, with a RAM user that can push and pull"
}

# Version constraints written to versions.tf. The alicloud constraint must not allow
# versions older than 1.114.0, which added the RAM policy arguments the module uses.
versions {
  terraform = ">= 1.3.0"
  alicloud  = ">= 1.114.0"
  random    = ">= 3.0.0"
}

# "hcl" writes *.tf files, "json" writes *.tf.json files.
format = "hcl"

# "module": the module configures the alicloud provider from its own inputs (region,
# profile, shared_credentials_file, skip_region_validation), as 1.3.x does, so it also
# works as a root module. "caller": no provider block and no provider inputs, so callers
# can use count, for_each and depends_on on the module.
provider_shape = "module"

namespace {
  # Default of the namespace input. Without it the input is required, as in 1.3.x.
  # name = "my-namespace"

  # default_visibility of the namespace: "PRIVATE" or "PUBLIC".
  visibility = "PRIVATE"
  # Default of the repo_autocreate input: whether a push creates its repository.
  repo_autocreate = true
}

repositories {
  # "count" keys repositories by list position, as 1.3.x does. "for_each" keys them by
  # name, so removing one leaves the others alone; `cr-modgen state migrate` writes the
  # moved blocks for an existing state.
  addressing = "count"
  # Default of the repositories input.
  default = ["default"]
  # repo_type of each repository: "PRIVATE" or "PUBLIC".
  visibility = "PRIVATE"
  # Stored summary of each repository (the provider accepts up to 100 bytes).
  summary = "PRIVATE Docker Repository {namespace}/{repository}"
}

ram_user {
  # RAM user name (at most 64 characters); renaming happens in place.
  name         = "{namespace}-cr-user"
  display_name = "CR '{namespace}' Namespace User"
  # At most 128 bytes.
  comments = "RAM User to use Container Registry's {namespace} namespace"
}

ram_policy {
  # RAM policy name (at most 128 characters); a new name replaces the policy.
  name        = "{namespace}-cr-policy"
  description = "RAM Policy with push/pull permissions for Container Registry's {namespace} namespace"
}

console_login {
  # Create a console login profile with a generated one-time password.
  enabled = true
  # Add the optional `password` input of 1.3.1; empty keeps the generated password.
  password_input = false
}

access_key {
  # Whether the provider writes the secret to a file. Without the file, the secret stays
  # only in state, in the sensitive `secret` attribute.
  write_secret_file = true
  # File the provider writes the access key secret to, in terraform's working directory:
  # a plain file name. A new name creates a new access key.
  secret_file = "cr-{namespace}-ak.json"
  # A base64 public key or "keybase:<user>": the secret is returned encrypted, and the
  # encrypted_secret and key_fingerprint outputs are added. Setting it creates a new key.
  # pgp_key = "keybase:someone"
}

# Outputs to emit. cr_user, ram_console_username and disposable_password need the
# console login.
outputs = [
  "cr_namespace",
  "cr_access_key",
  "cr_user",
  "cr_endpoint",
  "ram_user",
  "ram_policy_name",
  "repository_ids",
  "ram_console_username",
  "disposable_password",
  "access_key_status",
  "ram_policy_type",
  "ram_policy_attachment",
]
