#!/usr/bin/env bash
# Time the cr-modgen command line against `terraform fmt -check -recursive` on the same
# generated trees, measure how the time grows with the number of repositories, and compare
# peak RSS with an empty process. Prints figures and ratios; BENCHMARKS.md records them.
#
# Usage: scripts/bench.sh [RUNS]   (RUNS: minimum hyperfine runs per command, default 10)
#
# Installs hyperfine and time (/usr/bin/time) from Debian when run as root, and stops with
# a message naming what is missing otherwise. Needs terraform on PATH or in $TERRAFORM.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
runs="${1:-10}"

# terraform must not phone home or read the user's CLI config.
export CHECKPOINT_DISABLE=1
export TF_CLI_CONFIG_FILE=/dev/null

missing_packages=()
command -v hyperfine >/dev/null 2>&1 || missing_packages+=(hyperfine)
[[ -x /usr/bin/time ]] || missing_packages+=(time)
if ((${#missing_packages[@]} > 0)); then
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "installing ${missing_packages[*]} with apt-get" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}" >/dev/null
    else
        echo "error: missing Debian packages: ${missing_packages[*]}" >&2
        echo "Install them (sudo apt-get install ${missing_packages[*]}) and rerun." >&2
        exit 1
    fi
fi

terraform_bin="${TERRAFORM:-terraform}"
if ! "$terraform_bin" version >/dev/null 2>&1; then
    echo "error: terraform is not installed; set TERRAFORM to its path or put it on PATH." >&2
    exit 1
fi
terraform_bin="$(command -v "$terraform_bin")"

cargo build --release --quiet
bin="$repo_root/target/release/cr-modgen"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "== machine"
echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "cores:     $(nproc)"
echo "cpu:       $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory:    $(free -h | awk '/^Mem:/ {print $2}')"
echo "cr-modgen: $("$bin" --version), $(git rev-parse --short HEAD)"
echo "terraform: $("$terraform_bin" version | head -n1)"
echo "hyperfine: $(hyperfine --version)"

# Writes a config with `count` default repositories named r00001, r00002, ...
write_repositories_config() {
    local count="$1" file="$2"
    {
        printf 'repositories {\n  default = [\n'
        seq -f '    "r%05.0f",' 1 "$count"
        printf '  ]\n}\n'
    } >"$file"
}

# Copies a fixture config to `file` with its module name set to `name`, whether the
# fixture has no `module` section, one without a name, or one with a name.
write_renamed_fixture() {
    local fixture="$1" name="$2" file="$3"
    case "$fixture" in
    *.json)
        sed '0,/"name": "[^"]*"/s//"name": "'"$name"'"/' "$fixture" >"$file"
        ;;
    *)
        awk -v name="$name" '
            /^module \{/ { print; in_module = 1; found = 1; next }
            in_module && /^[ \t]*name[ \t]*=/ { print "  name = \"" name "\""; named = 1; next }
            in_module && /^\}/ { if (!named) print "  name = \"" name "\""; in_module = 0 }
            { print }
            END { if (!found) printf "module {\n  name = \"%s\"\n}\n", name }
        ' "$fixture" >"$file"
        ;;
    esac
}

# Runs one hyperfine comparison and prints the ratio of the first command's mean time to
# the second's. Arguments: case name, then the two commands.
compare() {
    local name="$1" ours="$2" theirs="$3" csv="$work/$1.csv"
    echo
    echo "== $name"
    hyperfine --shell=none --warmup 3 --min-runs "$runs" --style basic \
        --export-csv "$csv" -n cr-modgen "$ours" -n "terraform fmt" "$theirs"
    awk -F, -v name="$name" 'NR == 2 { ours = $2 } NR == 3 { theirs = $2 }
        END { printf "ratio %s: cr-modgen / terraform fmt = %.3f\n", name, ours / theirs }' \
        "$csv" | tee -a "$work/ratios.txt"
}

echo
echo "== generating trees in $work"
mkdir -p "$work/one"
cp fixtures/default/cr.hcl "$work/one/cr.hcl"
"$bin" generate --config "$work/one/cr.hcl" --out "$work/one/out" 2>/dev/null

for count in 1000 10000 100000; do
    mkdir -p "$work/r$count"
    write_repositories_config "$count" "$work/r$count/cr.hcl"
    "$bin" generate --config "$work/r$count/cr.hcl" --out "$work/r$count/out" 2>/dev/null
done

mapfile -t fixtures < <(find fixtures -mindepth 2 -maxdepth 2 \( -name cr.hcl -o -name cr.json \) \
    -not -path 'fixtures/invalid/*' | sort)
mkdir -p "$work/batch/configs"
for index in $(seq 0 99); do
    fixture="${fixtures[index % ${#fixtures[@]}]}"
    name="$(printf 'bench-%03d' "$index")"
    write_renamed_fixture "$fixture" "$name" "$work/batch/configs/$name.${fixture##*.}"
done
"$bin" generate --configs "$work/batch/configs" --out-root "$work/batch/out" 2>/dev/null
modules="$(find "$work/batch/out" -mindepth 1 -maxdepth 1 -type d | wc -l)"
if [[ "$modules" -ne 100 ]]; then
    echo "error: the batch generated $modules modules, expected 100" >&2
    exit 1
fi
echo "one module: $(find "$work/one/out" -type f | wc -l) files;" \
    "batch: 100 modules from ${#fixtures[@]} fixtures;" \
    "variables.tf for 100000 repositories: $(wc -c <"$work/r100000/out/variables.tf") bytes"

# Every command works on an up-to-date tree, so `generate --check` and `terraform fmt
# -check` each read every file and write nothing.
: >"$work/ratios.txt"
compare one-module \
    "$bin generate --config $work/one/cr.hcl --out $work/one/out --check" \
    "$terraform_bin fmt -check -recursive $work/one/out"
compare repositories-10000 \
    "$bin generate --config $work/r10000/cr.hcl --out $work/r10000/out --check" \
    "$terraform_bin fmt -check -recursive $work/r10000/out"
compare batch-100 \
    "$bin generate --configs $work/batch/configs --out-root $work/batch/out --check" \
    "$terraform_bin fmt -check -recursive $work/batch/out"

echo
echo "== scaling with the number of repositories (generate --check)"
hyperfine --shell=none --warmup 1 --runs 3 --style basic --export-csv "$work/scaling.csv" \
    -n 1000 "$bin generate --config $work/r1000/cr.hcl --out $work/r1000/out --check" \
    -n 10000 "$bin generate --config $work/r10000/cr.hcl --out $work/r10000/out --check" \
    -n 100000 "$bin generate --config $work/r100000/cr.hcl --out $work/r100000/out --check"
awk -F, 'NR > 1 { cost = $2 / $1 * 1e6; printf "repositories %6d: %8.3f s, %7.2f us per repository\n", $1, $2, cost
        if (NR == 2) first = cost; last = cost }
    END { printf "per-repository cost at 100000 / at 1000 = %.2f\n", last / first }' \
    "$work/scaling.csv"

echo
echo "== peak RSS (max of 5 runs, /usr/bin/time -v)"
peak_rss() {
    local max=0 kib
    for _ in 1 2 3 4 5; do
        kib="$(/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident set size/ {print $2 + 0}')"
        ((kib > max)) && max="$kib"
    done
    echo "$max"
}
empty_kib="$(peak_rss "$bin" --version)"
module_kib="$(peak_rss "$bin" generate --config "$work/one/cr.hcl" --out "$work/one/out" --check)"
echo "cr-modgen --version:           $empty_kib KiB"
echo "generate --check, one module:  $module_kib KiB"
echo "difference:                    $((module_kib - empty_kib)) KiB"

echo
echo "== ratios"
cat "$work/ratios.txt"
