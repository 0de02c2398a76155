#!/usr/bin/env bash
# Build the provider emulator and lay out a Terraform filesystem mirror in DIR.
#
# Usage: scripts/provider-mirror.sh DIR
#
# Afterwards either of these installs the emulated providers with no network:
#   terraform init -plugin-dir DIR
#   TF_CLI_CONFIG_FILE=DIR/terraformrc terraform init
set -euo pipefail

if [[ $# -ne 1 || -z "$1" ]]; then
    echo "usage: $0 DIR" >&2
    exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mkdir -p "$1"
mirror_dir="$(cd "$1" && pwd)"

if ! command -v protoc >/dev/null 2>&1; then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "protoc not found; installing protobuf-compiler with apt-get" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler
    else
        echo "error: protoc is missing, and the tf-provider build script needs it." >&2
        echo "Install it, e.g. 'sudo apt-get install protobuf-compiler', then rerun." >&2
        exit 1
    fi
fi

cargo build --release -p provider-sim --manifest-path "$repo_root/Cargo.toml"
target_dir="$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo_root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
binary="$target_dir/release/provider-sim"

platform="linux_amd64"
install_provider() {
    local namespace="$1" name="$2" version="$3"
    local dir="$mirror_dir/registry.terraform.io/$namespace/$name/$version/$platform"
    local file="$dir/terraform-provider-${name}_v$version"
    mkdir -p "$dir"
    # Stage a copy and rename it over the target, rather than overwrite in place: a
    # running provider process keeps its file, and a rename replaces the target at once
    # when two runs write the same DIR.
    local staged="$file.tmp.$$"
    ln -f "$binary" "$staged" 2>/dev/null || cp "$binary" "$staged"
    chmod 0755 "$staged"
    mv -f "$staged" "$file"
    echo "$file"
}

install_provider aliyun alicloud 1.289.0
install_provider hashicorp alicloud 1.289.0
install_provider hashicorp random 3.9.0

cat >"$mirror_dir/terraformrc" <<RC
provider_installation {
  filesystem_mirror {
    path = "$mirror_dir"
  }
}
RC
echo "$mirror_dir/terraformrc"
