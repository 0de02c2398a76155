# A root module that the alicloud provider must reject at plan: a Container Registry
# namespace name has to be 2 to 30 bytes long, and "a" is one byte. The e2e test plans it
# unchanged, then with the name "ab" as a control that must plan cleanly.

terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

provider "alicloud" {
  region = "cn-hangzhou"
}

resource "alicloud_cr_namespace" "short" {
  name               = "a"
  auto_create        = false
  default_visibility = "PRIVATE"
}
