// Links Graph gives back (a page's @odata.nextLink, a 202's Location) as the queue takes them. One definition for
// the reader, the writer and the team watch.

/**
 * `link` relative to the version root `base` (`https://graph.microsoft.com/v1.0`), as $batch requests must be: a
 * path is kept as it is, a link under `base` (host compared without regard to case, as hosts are) loses that
 * prefix. A link to any other address is kept whole, so the client refuses to send it (client.ts: rollcall talks
 * only to its configured Graph) instead of it being quietly re-aimed at this one.
 */
export function versionRelative(link: string, base: string): string {
  if (link.startsWith('/')) return link;
  return link.slice(0, base.length).toLowerCase() === base.toLowerCase() && (link.length === base.length || '/?'.includes(link[base.length]))
    ? link.slice(base.length)
    : link;
}
