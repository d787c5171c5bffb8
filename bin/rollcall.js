#!/usr/bin/env node
// The CLI runs from compiled JS so it starts fast; `npm ci` builds it through the prepare script.
import { main, quietOnClosedPipes } from '../dist/lib/cli/main.js';

quietOnClosedPipes();

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err?.stack ?? String(err)); process.exitCode = 1; },
);
