variable "region" {
  default = ""
}

variable "profile" {
  default = "default"
}

variable "shared_credentials_file" {
  default = ""
}

variable "skip_region_validation" {
  default = false
}

variable "namespace" {
  type = string
}

variable "repositories" {
  type    = list(string)
  default = ["default"]
}

variable "repo_autocreate" {
  default = true
}

variable "password" {
  default = ""
}
