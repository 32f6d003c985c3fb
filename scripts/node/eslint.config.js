// ESLint for the site's front end (docs/assets/leaderboard/, ES modules in the browser) and the
// node tools here. Run from the repository root by tests/test_lint.py:
//   node scripts/node/node_modules/eslint/bin/eslint.js --config scripts/node/eslint.config.js --max-warnings 0
// Everything is an error: a finding fails the test, and there is no warning to ignore.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    // Patterns are relative to the working directory, the repository root (with --config,
    // ESLint's base path is where it runs, not this file's folder).
    ignores: ["**/node_modules/**", "docs/assets/vendor/**", "site/**", ".venv/**"],
  },
  {
    files: ["docs/assets/leaderboard/**/*.js"],
    ...js.configs.recommended,
    languageOptions: {
      // ES2020: what every browser with ES modules and Material for MkDocs runs.
      ecmaVersion: 2020,
      sourceType: "module",
      globals: { ...globals.browser },
    },
    rules: {
      ...js.configs.recommended.rules,
      eqeqeq: "error",
      "no-var": "error",
      "prefer-const": "error",
      "no-implicit-globals": "error",
      "no-shadow": "error",
      "no-unused-vars": ["error", { args: "after-used" }],
      // Data reaches the page as text only: textContent and attribute setters (see dom.js).
      "no-restricted-syntax": [
        "error",
        { selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]", message: "data reaches the DOM through textContent" },
        { selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]", message: "data reaches the DOM through textContent" },
      ],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
    },
  },
  {
    files: ["scripts/node/**/*.{js,mjs}"],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.node },
    },
  },
];
