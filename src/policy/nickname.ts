import { addressPart } from './ascii.js';

/** A mailNickname from a name: ASCII letters, digits and hyphens only, at most 64 characters. */
export function nickname(...parts: string[]): string {
  return parts
    .map((p) => p.split(/[^\p{L}\p{N}]+/u).map(addressPart).filter(Boolean).join('-'))
    .filter(Boolean)
    .join('-')
    .slice(0, 64)
    .replace(/-+$/, '');
}
