import { randomBytes } from 'node:crypto';

/**
 * Access tokens are session ids: they work until the org's session timeout passes without use
 * (Salesforce extends a session that is being used). The mock's configured token is a session
 * an admin handed out beforehand and never expires.
 */
export class SessionStore {
  private readonly lastUse = new Map<string, number>();

  constructor(
    private readonly timeoutMs: number,
    private readonly permanentToken: string,
  ) {}

  issue(organizationId: string, now: number): string {
    // Real session ids look like `<15-char org id>!<opaque>`.
    const token = `${organizationId.slice(0, 15)}!${randomBytes(48).toString('base64url')}`;
    this.lastUse.set(token, now);
    return token;
  }

  /** Whether the token is a live session; using it extends it. */
  touch(token: string, now: number): boolean {
    if (token === this.permanentToken) return true;
    const last = this.lastUse.get(token);
    if (last === undefined) return false;
    if (now - last > this.timeoutMs) {
      this.lastUse.delete(token);
      return false;
    }
    this.lastUse.set(token, now);
    return true;
  }

  revoke(token: string): boolean {
    return this.lastUse.delete(token);
  }
}
