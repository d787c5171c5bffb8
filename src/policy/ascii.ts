// Folding names to the characters Entra allows in an address. NFKD handles most accents (é → e);
// letters that are not "base + accent" in Unicode need their conventional spellings.
const SPECIAL: Record<string, string> = {
  ß: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', þ: 'th', Þ: 'th', ð: 'd', Ð: 'd', đ: 'd', Đ: 'd',
  ł: 'l', Ł: 'l', ø: 'o', Ø: 'o', ı: 'i', ħ: 'h', Ħ: 'h', ŋ: 'ng', Ŋ: 'ng', ĸ: 'k', ſ: 's',
};

/** Transliterated, lower-cased, and stripped of everything but a-z and 0-9. */
export function addressPart(value: string): string {
  // Most names are plain ASCII already: skip Unicode normalisation for them (it runs for every person).
  if (/^[\x20-\x7e]*$/.test(value)) return value.toLowerCase().replace(/[^a-z0-9]/g, '');
  const folded = value
    .replace(/[ßæÆœŒþÞðÐđĐłŁøØıħĦŋŊĸſ]/g, (c) => SPECIAL[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
  return folded.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Initials for masked reports: "Zoë O'Brien" → "Z.O." */
export function initials(...names: (string | undefined)[]): string {
  return names
    .filter((n): n is string => !!n && n.trim() !== '')
    .map((n) => `${n.trim()[0].toUpperCase()}.`)
    .join('');
}
