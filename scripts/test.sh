#!/usr/bin/env bash
# Run every check of the project: formatting, lints and the whole test suite, with the real
# terraform against the offline provider emulator. Installs the Debian packages the tests
# need when run as root, and stops with a message naming what is missing otherwise.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
export CHECKPOINT_DISABLE=1

missing_packages=()
command -v protoc >/dev/null 2>&1 || missing_packages+=(protobuf-compiler)
command -v gofmt >/dev/null 2>&1 || missing_packages+=(golang-go)
if ((${#missing_packages[@]} > 0)); then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing ${missing_packages[*]} with apt-get" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}"
    else
        echo "error: missing Debian packages: ${missing_packages[*]}" >&2
        echo "Install them (sudo apt-get install ${missing_packages[*]}) and rerun." >&2
        exit 1
    fi
fi

terraform_bin="${TERRAFORM:-terraform}"
if ! terraform_version="$("$terraform_bin" version 2>/dev/null | head -n 1)"; then
    echo "error: terraform is not installed; the tests run the real Terraform 1.11." >&2
    echo "Install it on PATH or set TERRAFORM to its path, then rerun." >&2
    exit 1
fi
# The generated terraform test suites use mocks during plan, which need Terraform 1.9.
if ! [[ "$terraform_version" =~ ^Terraform\ v1\.(9|[1-9][0-9])\. ]]; then
    echo "error: $terraform_version is too old; the tests need Terraform 1.9 or later (1.11 is tested)." >&2
    exit 1
fi
for tool in python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "error: $tool is missing; scripts/provider-mirror.sh needs it." >&2
        exit 1
    fi
done
for component in fmt clippy; do
    if ! cargo "$component" --version >/dev/null 2>&1; then
        echo "error: cargo $component is missing; install it with 'rustup component add ${component/fmt/rustfmt}'." >&2
        exit 1
    fi
done

cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings

mirror="$repo_root/target/provider-mirror"
bash scripts/provider-mirror.sh "$mirror" >/dev/null
export CR_MODGEN_PROVIDER_MIRROR="$mirror"

cargo test --workspace
