# A stand-in for roura356a/cr/alicloud 1.3.0, written from the documented addresses,
# arguments and stored values: the provider block inside the module, no
# required_providers (so the provider resolves to hashicorp/alicloud), the deprecated
# policy arguments and the legacy index syntax.
provider "alicloud" {
  version                 = ">=1.56.0"
  profile                 = var.profile
  shared_credentials_file = var.shared_credentials_file != "" ? var.shared_credentials_file : null
  region                  = var.region != "" ? var.region : null
  skip_region_validation  = var.skip_region_validation
  configuration_source    = "roura356a/cr"
}

terraform {
  required_version = "> 0.12.0"
}

data "alicloud_account" "current" {}

data "alicloud_regions" "current" {
  current = true
}

resource "random_string" "cr_console_password" {
  length  = 12
  special = false
}

resource "alicloud_cr_namespace" "registry_namespace" {
  name               = var.namespace
  auto_create        = var.repo_autocreate
  default_visibility = "PRIVATE"
}

resource "alicloud_cr_repo" "namespace_repositories" {
  count     = length(var.repositories)
  namespace = alicloud_cr_namespace.registry_namespace.name
  name      = element(var.repositories, count.index)
  summary   = "PRIVATE Docker Repository ${var.namespace}/${element(var.repositories, count.index)}"
  repo_type = "PRIVATE"
}

resource "alicloud_ram_policy" "cr_namespace_policy" {
  name = "${var.namespace}-cr-policy"
  document = jsonencode({
    Version = "1"
    Statement = [
      {
        Effect = "Allow"
        Action = "cr:*"
        Resource = [
          "acs:cr:${data.alicloud_regions.current.regions.0.id}:${data.alicloud_account.current.id}:repository/${var.namespace}",
          "acs:cr:${data.alicloud_regions.current.regions.0.id}:${data.alicloud_account.current.id}:repository/${var.namespace}/*",
        ]
      },
      {
        Effect   = "Allow"
        Action   = "cr:GetAuthorizationToken"
        Resource = "*"
      },
    ]
  })
  description = "RAM Policy with push/pull permissions for Container Registry's ${var.namespace} namespace"
  force       = true
}

resource "alicloud_ram_user" "namespace_user" {
  name         = "${var.namespace}-cr-user"
  display_name = "CR '${var.namespace}' Namespace User"
  comments     = "RAM User to use Container Registry's ${var.namespace} namespace"
  force        = true
}

resource "alicloud_ram_login_profile" "namespace_console_user" {
  user_name               = alicloud_ram_user.namespace_user.name
  password                = random_string.cr_console_password.result
  password_reset_required = true

  lifecycle {
    ignore_changes = [password_reset_required]
  }
}

resource "alicloud_ram_user_policy_attachment" "cr_user_policy_attachment" {
  policy_name = alicloud_ram_policy.cr_namespace_policy.name
  policy_type = alicloud_ram_policy.cr_namespace_policy.type
  user_name   = alicloud_ram_user.namespace_user.name
}

resource "alicloud_ram_access_key" "cr_ak" {
  user_name   = alicloud_ram_user.namespace_user.name
  secret_file = "cr-${var.namespace}-ak.json"
}
