// MIS text reaches terminals, plan comments and generated addresses. A NUL, a terminal escape sequence or a lone
// surrogate in a name is never part of the name: it is a corrupt export or an attack on whoever reads the plan.

/** Terminal escape sequences, whole: CSI (ESC [ … final), OSC (ESC ] … BEL or ST), and two-character ESC ones. */
const ESCAPES = /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]|(?:\u001b\]|\u009d)[^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|\u001b[\u0020-\u002f]*[\u0030-\u007e]/g;
/** Tabs and line breaks inside a field become a space. */
const SPACING = /[\t\n\r\v\f]+/g;
/**
 * Whatever else cannot be shown: C0 and C1 controls, DEL, unpaired surrogates (not text in any encoding), and the
 * bidirectional embedding, override and isolate controls, which can reorder what a reviewer reads on screen.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * For messages that quote MIS text before it was cleaned (an error naming a bad value): control characters shown
 * as \\u escapes, so the reader sees what was there and the terminal does not act on it. Tabs and newlines stay.
 */
export function printable(text: string): string {
  if (!SUSPECT.test(text)) return text;
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The text without control characters; the same text (===) when it had none. */
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/;

export function withoutControls(text: string): string {
  if (!SUSPECT.test(text)) return text;
  const clean = text.replace(ESCAPES, '').replace(SPACING, ' ').replace(UNPRINTABLE, '');
  // A surrogate pair is fine; only its unpaired halves went.
  return clean.trim() === clean ? clean : clean.trim();
}

/** Whether a value, or any string inside it (nested objects and arrays), has a suspect character. */
function suspect(v: unknown): boolean {
  if (typeof v === 'string') return v.length > 0 && SUSPECT.test(v);
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (suspect(v[i])) return true;
    return false;
  }
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k) && suspect((v as Record<string, unknown>)[k])) return true;
  return false;
}

/**
 * Every string of a record (and of its nested name objects and string lists) without control characters, and
 * whether anything was removed. Ids are cleaned too, the same way on both sides of a reference, so a membership
 * still finds its person.
 */
export function cleanRecord<T extends object>(record: T): { record: T; changed: boolean } {
  // Hundreds of thousands of memberships pass here: a record without a suspect character is not copied, and
  // looking allocates nothing (no closure, no array of values).
  if (!suspect(record)) return { record, changed: false };
  let changed = false;
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const c = withoutControls(v);
      if (c !== v) changed = true;
      return c;
    }
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = clean(x);
      return out;
    }
    return v;
  };
  const out = clean(record) as T;
  return changed ? { record: out, changed } : { record, changed };
}
