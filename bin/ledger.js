#!/usr/bin/env node
'use strict';
// The `ledger` command: the compiled CLI when the project was built (npm run build), else the TypeScript sources
// through @swc-node/register, so that `npx ledger …` works in a checkout without a build.
const { existsSync } = require('node:fs');
const path = require('node:path');

const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
if (existsSync(compiled)) {
  cli = require(compiled);
} else {
  require('@swc-node/register');
  cli = require(path.join(__dirname, '..', 'src', 'cli', 'main.ts'));
}
cli.main(process.argv.slice(2));
