/**
 * The company's custom field hash keys for poc's canonical fields (poc_seq -> "a1b2...", 40 hex).
 *
 * Webhook payloads name custom fields by hash key only, and the receiver cannot ask the API, so
 * the adapter's API side records each key when it resolves it (GET /v1/personFields) and the
 * webhook scheme made by the same adapter reads it. A key not learned yet is passed through
 * under its hash name rather than dropped.
 */
export class CustomFieldKeys {
  private readonly byCanonical = new Map<string, string>();
  private readonly byKey = new Map<string, string>();

  learn(canonical: string, key: string): void {
    this.byCanonical.set(canonical, key);
    this.byKey.set(key, canonical);
  }

  keyOf(canonical: string): string | undefined {
    return this.byCanonical.get(canonical);
  }

  /** hash key -> canonical name, for fields.fromPerson. */
  reverse(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.byKey);
  }

  /** canonical name -> hash key, for fields.toPersonBody. */
  forward(): Readonly<Record<string, string>> {
    return Object.fromEntries(this.byCanonical);
  }
}
