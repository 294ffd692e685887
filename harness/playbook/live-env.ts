/**
 * The environment a live run reads its credentials from. A plan may name its own variables
 * (`credentials: { token: ACME_HUBSPOT_TOKEN }`, e.g. one per sandbox); the adapter reads the
 * vendor's documented names, so the values are handed over under those, in memory only.
 */
export function liveEnvFor(
  canonical: { readonly token: string; readonly webhookSecret: string; readonly baseUrl: string },
  named:
    | { readonly token: string; readonly webhookSecret: string; readonly baseUrl?: string | undefined }
    | undefined,
  env: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  if (!named) return env;
  const out: NodeJS.ProcessEnv = { ...env };
  const pairs: [string, string | undefined][] = [
    [canonical.token, named.token],
    [canonical.webhookSecret, named.webhookSecret],
    [canonical.baseUrl, named.baseUrl],
  ];
  for (const [to, from] of pairs) {
    if (from === undefined || from === to) continue;
    // The *_FILE variant travels with its variable: a secret kept in a file stays in the file.
    delete out[to];
    delete out[`${to}_FILE`];
    if (env[from] !== undefined) out[to] = env[from];
    if (env[`${from}_FILE`] !== undefined) out[`${to}_FILE`] = env[`${from}_FILE`];
  }
  return out;
}
