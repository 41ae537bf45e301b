#!/usr/bin/env bash
# Generates TypeScript types for proto/fasit/management/v1/management.proto into src/grpc/generated (or $1).
# Never edit the output by hand; run `pnpm gen:proto` after changing the proto.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-src/grpc/generated}"
rm -rf "$out"
proto-loader-gen-types --keepCase --longs=String --enums=String --defaults --oneofs --grpcLib=@grpc/grpc-js \
  --includeDirs=../../proto --outDir="$out" fasit/management/v1/management.proto >/dev/null
# NodeNext ESM: relative imports need their .js extension.
find "$out" -name '*.ts' -exec sed -i -E "s#(from '\.{1,2}/[^']+)';#\1.js';#" {} +
