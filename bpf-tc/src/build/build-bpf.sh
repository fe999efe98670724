#!/usr/bin/env bash
# Build step of bpf-tc: compiles the BPF C programs with clang into the jar's resources and
# bundles the host's libbpf (the exact library the FFM bindings were written against).
# Usage: build-bpf.sh <module dir> <classes output dir> [<source dir>]
# With a source dir (the tests' deliberately broken programs) only those are compiled.
set -euo pipefail
module="$1"
out="$2"
sources="${3:-$module/src/main/bpf}"
command -v clang >/dev/null || { echo "bpf-tc: clang is missing; run scripts/setup.sh" >&2; exit 1; }
progs="$out/io/meshgw/bpf/progs"
native="$out/io/meshgw/bpf/native"
mkdir -p "$progs" "$native"
for src in "$sources"/*.c; do
  name="$(basename "$src" .c)"
  clang -O2 -g -Wall -Werror -target bpf -I/usr/include/x86_64-linux-gnu -c "$src" -o "$progs/$name.o"
done
[ -n "${3:-}" ] && exit 0
lib="$(readlink -f /usr/lib/x86_64-linux-gnu/libbpf.so.1 2>/dev/null || true)"
[ -f "$lib" ] || { echo "bpf-tc: libbpf1 is missing (/usr/lib/x86_64-linux-gnu/libbpf.so.1); run scripts/setup.sh" >&2; exit 1; }
version="${lib##*.so.}"
cp "$lib" "$native/libbpf.so"
printf 'version=%s\nsource=%s\n' "$version" "$lib" >"$native/libbpf.properties"
