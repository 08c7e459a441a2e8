#!/usr/bin/env bash
# Synthesise every prompt of a campaign config from its `text`, as 8 kHz mono 16-bit PCM WAV
# (what both drivers play without resampling). Needs espeak-ng and sox.
# Usage: scripts/make-prompts.sh [config.yaml]   (default: config/example.yaml)
# Prompts without `text` are left alone. Files are written relative to the config file, as the loader reads them.
set -euo pipefail
config="${1:-config/example.yaml}"
here="$(cd "$(dirname "$0")/.." && pwd)"
command -v espeak-ng >/dev/null || { echo "espeak-ng is not installed" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox is not installed" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# One "file<TAB>text" line per prompt, paths resolved against the config file's directory.
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { dirname, resolve } from "node:path";
  import { createRequire } from "node:module";
  const require = createRequire(process.argv[2] + "/package.json");
  const { parse } = require("yaml");
  const file = process.argv[1];
  const cfg = parse(readFileSync(file, "utf8")) ?? {};
  for (const p of cfg.prompts ?? []) {
    if (typeof p.text !== "string" || typeof p.file !== "string") continue;
    console.log(resolve(dirname(file), p.file) + "\t" + p.text.replace(/\s+/g, " "));
  }
' "$config" "$here" > "$tmp/list"

while IFS=$'\t' read -r out text; do
  mkdir -p "$(dirname "$out")"
  espeak-ng -v en-us -s 165 -w "$tmp/raw.wav" "$text"
  # 8 kHz mono PCM16, no dither (-D) so regenerating gives the same bytes; trim silence so prompts stay short.
  sox -R -D "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out" \
    silence 1 0.05 0.5% reverse silence 1 0.05 0.5% reverse
  echo "wrote $out ($(stat -c %s "$out") bytes)"
done < "$tmp/list"
