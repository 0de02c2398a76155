output "cr_namespace" {
  value = alicloud_cr_namespace.registry_namespace.id
}

output "cr_access_key" {
  value = alicloud_ram_access_key.cr_ak.id
}

output "cr_user" {
  value = alicloud_ram_login_profile.namespace_console_user.user_name
}

output "cr_endpoint" {
  value = alicloud_cr_repo.namespace_repositories.0.domain_list.public
}

output "ram_user" {
  value = alicloud_ram_user.namespace_user.name
}

output "ram_policy_name" {
  value = alicloud_ram_policy.cr_namespace_policy.name
}

output "repository_ids" {
  value = alicloud_cr_repo.namespace_repositories.*.id
}

output "ram_console_username" {
  value = "${alicloud_ram_login_profile.namespace_console_user.user_name}@${data.alicloud_account.current.id}.onaliyun.com"
}

output "disposable_password" {
  value = random_string.cr_console_password.result
}

output "access_key_status" {
  value = alicloud_ram_access_key.cr_ak.status
}

output "ram_policy_type" {
  value = alicloud_ram_policy.cr_namespace_policy.type
}

output "ram_policy_attachment" {
  value = alicloud_ram_user_policy_attachment.cr_user_policy_attachment.id
}
