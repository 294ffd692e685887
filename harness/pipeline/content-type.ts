/**
 * Whether a Content-Type header names one of `accepted` (lower-case `type/subtype`) with no
 * charset or UTF-8. The receiver reads every body as UTF-8, so a delivery declaring another
 * charset would be read as something its sender did not mean; one declaring no type at all, or
 * another type, did not come from the vendor, which always sends its own.
 */
export function acceptsContentType(header: string | undefined, accepted: readonly string[]): boolean {
  if (header === undefined) return false;
  // The common case, the exact header the vendor sends, without splitting anything.
  if (accepted.includes(header)) return true;
  const semicolon = header.indexOf(';');
  const type = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (!accepted.includes(type)) return false;
  if (semicolon < 0) return true;
  for (const parameter of header.slice(semicolon + 1).split(';')) {
    const equals = parameter.indexOf('=');
    // Other parameters (and empty ones) do not change how the bytes read: only charset does.
    if (equals < 0 || parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    const charset = parameter
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1')
      .toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') return false;
  }
  return true;
}
