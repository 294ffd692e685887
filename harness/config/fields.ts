import { z } from 'zod';
import { DURATION_FORMS, durationMs, formatDuration } from '../duration.js';
import { parseFaults } from '../faults.js';

/**
 * What a config field says about itself beyond its type, description and default: how it is
 * written on the command line. Attached with `.meta({ cli })`, read by harness/config/flags.ts;
 * the flag name is the key in kebab case unless `flag` says otherwise.
 */
export interface CliMeta {
  /** The flag when it is not the kebab-cased key (`faults` is given as `--fault`, repeated). */
  readonly flag?: string;
  /** How the value is written in help: `<events/s>`, `<time>`. */
  readonly placeholder?: string;
  /** Also read from this environment variable; a flag wins over it. */
  readonly env?: string;
  /** Held in milliseconds, written as 30s, 2m, 250ms. */
  readonly duration?: true;
  /** Help says which target the option belongs to; the resolver refuses it on the other. */
  readonly only?: 'mock' | 'live';
  /** Not in help: for poc's own use between its processes. */
  readonly hidden?: true;
}

/** The vendor a command works on; checked against the registry where the command runs. */
export function vendorId(description: string) {
  return z
    .string({ error: 'is required: name the vendor, e.g. --vendor hubspot' })
    .describe(description)
    .meta({ cli: { placeholder: 'id' } });
}

/** A folder, with its default. */
export function folder(defaultDir: string, description: string) {
  return z
    .string()
    .min(1)
    .default(defaultDir)
    .describe(description)
    .meta({ cli: { placeholder: 'dir' } });
}

/** The port a server listens on, with its default. */
export function listenPort(defaultPort: number, description = 'port to listen on (0 = any free port)') {
  return port()
    .default(defaultPort)
    .describe(description)
    .meta({ cli: { placeholder: 'port' } });
}

/** The address a server binds: loopback unless the user says otherwise. */
export function bindHost() {
  return z
    .string()
    .min(1)
    .default('127.0.0.1')
    .describe('address to bind')
    .meta({ cli: { placeholder: 'host' } });
}

/** Fault specs for the mock (`duplicate=0.05`, `outage=30s@10s`, `flaky`...), checked as given. */
export function faultSpecs() {
  return z
    .array(z.string())
    .default([])
    .superRefine((specs, ctx) => {
      try {
        parseFaults(specs);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message.replace(/^--fault[^:]*: /, '') });
      }
    })
    .describe(
      'inject faults, e.g. duplicate=0.05,failure=2%, latency=200ms,p=0.1, 5xx=0.02, outage=30s@10s, 429-storm=5s@20s, or flaky | regional-outage | retry-storm',
    );
}

/** A duration written as 250ms, 30s, 10m, 1h30m or 2d, held in milliseconds. */
export function duration(options: { min?: number } = {}) {
  return z
    .string()
    .transform((text, ctx) => {
      const ms = durationMs(text);
      if (ms === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${text}" is not a duration; write it like ${DURATION_FORMS}`,
        });
        return z.NEVER;
      }
      if (options.min !== undefined && ms < options.min) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${formatDuration(options.min)}` });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ cli: { duration: true, placeholder: 'time' } satisfies CliMeta });
}

/** A number above 0; the message repeats what was given, as people compare it with what they typed. */
export function positive() {
  return z
    .number({ error: notANumber })
    .positive({ error: (iss) => `"${iss.input}" must be a positive number` });
}

/** A whole number of at least `min`. */
export function count(min: number, message?: string) {
  return z
    .number({ error: notANumber })
    .int({ error: (iss) => `"${iss.input}" must be a whole number` })
    .min(min, message);
}

/** A share above 0 and at most 1. */
export function share() {
  return z
    .number({ error: notANumber })
    .gt(0, { error: (iss) => `"${iss.input}" must be a share above 0 and at most 1, e.g. 0.2` })
    .max(1, { error: (iss) => `"${iss.input}" must be a share above 0 and at most 1, e.g. 0.2` });
}

/** A TCP port; 0 asks the system for any free one. */
export function port() {
  return z
    .number({ error: notANumber })
    .int({ error: portMessage })
    .min(0, { error: portMessage })
    .max(65_535, { error: portMessage });
}

/**
 * An http(s) URL. The value is never repeated in the message: URLs may carry credentials, and
 * an error is printed where others can read it.
 */
export function httpUrl(what: string) {
  return z.string().superRefine((text, ctx) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      ctx.addIssue({ code: 'custom', message: `not a URL; give ${what}` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: `must be an http:// or https:// URL, not ${url.protocol}` });
  });
}

/** Only for a value that is not a number at all; checks keep their own messages. */
function notANumber(iss: { code?: string; input?: unknown }): string | undefined {
  if (iss.code !== 'invalid_type') return undefined;
  return iss.input === undefined ? 'is required' : `"${String(iss.input)}" is not a number`;
}

function portMessage(iss: { input?: unknown }): string {
  return `"${String(iss.input)}" must be an integer from 0 to 65535 (0 = any free port)`;
}
