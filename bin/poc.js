#!/usr/bin/env node
// Node 20 cannot run TypeScript: the CLI runs from dist/, which `npm ci` builds through `prepare`.
import '../dist/harness/cli.js';
