#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled build (dist/), made by `make build`.
"use strict";
const path = require("path");
const fs = require("fs");
const main = path.join(__dirname, "..", "dist", "cli", "main.js");
if (!fs.existsSync(main)) {
  console.error(`bvae: ${main} is missing; run \`make build\` (or \`make test\`) first.`);
  process.exit(1);
}
require(main);
