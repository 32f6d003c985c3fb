#!/usr/bin/env node
// Print the names and strings of ES modules, as JSON: [{file, line, kind, value}], where kind is
// "string" (a string literal, or the fixed text of a template literal) or "identifier".
//
//   node scripts/node/literals.mjs FILE...
//
// tests/site/test_site_frontend.py compares them with the table's column names: the front end
// takes every column name from data/table.json's meta, so none may be spelled in its code.
import { readFileSync } from "node:fs";
import * as espree from "espree";

function walk(node, visit) {
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit);
  } else if (node && typeof node.type === "string") {
    visit(node);
    for (const [key, value] of Object.entries(node)) {
      if (key !== "loc" && key !== "range" && value && typeof value === "object") walk(value, visit);
    }
  }
}

const found = [];
for (const file of process.argv.slice(2)) {
  const ast = espree.parse(readFileSync(file, "utf8"), {
    ecmaVersion: "latest",
    sourceType: "module",
    loc: true,
  });
  walk(ast, (node) => {
    const line = node.loc.start.line;
    if (node.type === "Literal" && typeof node.value === "string") {
      found.push({ file, line, kind: "string", value: node.value });
    } else if (node.type === "TemplateElement") {
      found.push({ file, line, kind: "string", value: node.value.cooked });
    } else if (node.type === "Identifier") {
      found.push({ file, line, kind: "identifier", value: node.name });
    }
  });
}
process.stdout.write(JSON.stringify(found));
