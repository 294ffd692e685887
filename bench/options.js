// Command-line options for the bench scripts, read with node:util parseArgs.
import { parseArgs } from 'node:util';

/**
 * Parses this script's arguments against `options` (node:util parseArgs, plus --help / -h).
 * --help prints `usage` and exits 0; an unknown option or a missing value prints what is wrong
 * and `usage`, and exits 2. Returns parseArgs' { values, positionals }.
 */
export function parseOptions(usage, options, { allowPositionals = false } = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: { ...options, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals,
    });
  } catch (err) {
    console.error(`${err.message}\n${usage}`);
    process.exit(2);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  return parsed;
}
