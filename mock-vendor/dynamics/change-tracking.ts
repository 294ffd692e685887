import type { FastifyReply, FastifyRequest } from 'fastify';
import { EXPIRED_VERSION_STAMP } from '../../harness/vendors/dynamics/profile.js';
import { contextUrl, parseSelect, project, type Row, serviceRoot } from './collection.js';
import type { ContactTable } from './contacts.js';
import { DATAVERSE_CODES, sendOdataError } from './errors.js';

/**
 * Change tracking (shared/vendors.md §5.5): `Prefer: odata.track-changes` on a collection GET
 * returns the rows and an @odata.deltaLink whose $deltatoken is `<version>!<UTC date>`; GET on
 * that link returns the rows changed since and the deleted ones as $deletedEntity. Only $select
 * combines with it. Delta answers are not paged here. A token expires once the newest change it
 * covers is older than ExpireChangeTrackingInDays (the settings' changeTrackingRetentionMs):
 * Dataverse's cleanup drops tracking data by age, and judging on the change rather than on when
 * the link was handed out keeps a history written in simulated (backdated) time honest.
 */
export function isChangeTracking(req: FastifyRequest, query: URLSearchParams): boolean {
  return query.has('$deltatoken') || /odata\.track-changes/i.test(String(req.headers.prefer ?? ''));
}

function deltaToken(version: number, now: number): string {
  const d = new Date(now);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${version}!${date}`;
}

/** The token's date part is when its newest change happened, so a stored link shows its own age. */
function tokenFor(table: ContactTable): string {
  const version = table.latestVersion;
  return deltaToken(version, table.timeOfVersion(version) ?? Date.now());
}

function versionOf(token: string): number | undefined {
  const v = Number(token.split('!')[0]);
  return Number.isInteger(v) && v >= 0 ? v : undefined;
}

export function sendChanges(
  req: FastifyRequest,
  reply: FastifyReply,
  url: URL,
  table: ContactTable,
  columns: readonly string[],
  retentionMs: number,
) {
  const query = url.searchParams;
  const refused = ['$filter', '$orderby', '$top', '$expand'].find((o) => query.has(o));
  if (refused) {
    return sendOdataError(
      reply,
      400,
      DATAVERSE_CODES.badRequest,
      `${refused} is not supported with change tracking.`,
    );
  }
  const select = parseSelect(query, columns, 'contact');
  if (select instanceof Error) return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, select.message);
  const token = query.get('$deltatoken');
  const since = token === null ? -1 : versionOf(token);
  if (since === undefined) {
    return sendOdataError(reply, 400, DATAVERSE_CODES.badRequest, `The $deltatoken '${token}' is not valid.`);
  }
  const coveredAt = since < 0 ? undefined : table.timeOfVersion(since);
  if (coveredAt !== undefined && Date.now() - coveredAt > retentionMs) {
    return sendOdataError(reply, 400, EXPIRED_VERSION_STAMP.code, EXPIRED_VERSION_STAMP.message);
  }
  const root = serviceRoot(req);
  const rows: Row[] = table
    .all()
    .map((r) => table.row(r))
    .filter((row) => Number(row.versionnumber) > since)
    .sort((a, b) => Number(a.versionnumber) - Number(b.versionnumber))
    .map((row) => ({
      '@odata.etag': `W/"${String(row.versionnumber)}"`,
      ...project(row, select, 'contactid'),
    }));
  // The first (full) read lists only live rows; a delta read also lists what was deleted since.
  const deleted =
    token === null
      ? []
      : table.tombstones
          .filter((t) => t.version > since)
          .map((t) => ({
            '@odata.context': `${root}$metadata#contacts/$deletedEntity`,
            id: t.id,
            reason: 'deleted',
          }));
  const selectPart = select.length > 0 ? `$select=${select.join(',')}&` : '';
  return reply
    .code(200)
    .header('preference-applied', 'odata.track-changes')
    .send({
      '@odata.context': contextUrl(root, 'contacts', select),
      '@odata.deltaLink': `${root}contacts?${selectPart}$deltatoken=${encodeURIComponent(tokenFor(table))}`,
      value: [...rows, ...deleted],
    });
}
