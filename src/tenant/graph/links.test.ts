import { describe, expect, it } from 'vitest';
import { versionRelative } from './links.js';

const BASE = 'https://graph.microsoft.com/v1.0';

describe('versionRelative', () => {
  it('takes the version root off a link Graph gives, as the queue sends it', () => {
    expect(versionRelative(`${BASE}/users?$skiptoken=abc`, BASE)).toBe('/users?$skiptoken=abc');
    expect(versionRelative("https://Graph.Microsoft.com/v1.0/teams('t')/operations('o')", BASE)).toBe("/teams('t')/operations('o')");
  });

  it('keeps a path as it is', () => {
    expect(versionRelative('/groups/g/owners?$skiptoken=x', BASE)).toBe('/groups/g/owners?$skiptoken=x');
  });

  it('keeps a link to another address whole, for the client to refuse, rather than re-aiming it at this Graph', () => {
    for (const foreign of ['https://evil.example/v1.0/users?$skiptoken=abc', 'https://graph.microsoft.com.evil.example/v1.0/users', 'https://graph.microsoft.com/v1.0evil/users', 'https://graph.microsoft.com/beta/users']) {
      expect(versionRelative(foreign, BASE)).toBe(foreign);
    }
  });
});
