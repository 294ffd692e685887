/**
 * The two form encodings a token request arrives in: Zoho's own SDK posts multipart/form-data,
 * curl examples use application/x-www-form-urlencoded. Only simple text fields are read.
 */
export function parseUrlEncoded(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  if (!marker) throw new Error('multipart body without a boundary');
  const fields: Record<string, string> = {};
  for (const part of body.toString('utf8').split(`--${marker}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const name = /name="([^"]*)"/i.exec(part.slice(0, split))?.[1];
    if (name === undefined) continue;
    // Each part's value ends with the CRLF that precedes the next boundary.
    fields[name] = part.slice(split + 4).replace(/\r\n$/, '');
  }
  return fields;
}
