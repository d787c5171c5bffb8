import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index.js';
import { RawGraph } from '../../../test/support/emulator-kit.js';

let emu: RunningEmulator;
let g: RawGraph;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
beforeAll(async () => {
  emu = await startEmulator({ education: true, teamProvisioningMs: 1000 });
  g = new RawGraph(`${emu.url}/v1.0`, emu.ca);
});
afterAll(async () => {
  g.close();
  await emu.stop();
});

describe('education classes', () => {
  it('creates a class, filters by externalId, adds teachers and students', async () => {
    const t = emu.state.addUser({ userPrincipalName: 'teacher1@rollcall.test', employeeType: 'Staff' });
    const s = emu.state.addUser({ userPrincipalName: 'student1@rollcall.test', employeeType: 'Student' });
    const c = await g.post('education/classes', { displayName: '7A Maths', mailNickname: 'rc-7a-ma', description: 'Maths', externalId: 'bts:c455', externalName: '7A/Ma1', externalSource: 'sis', classCode: '7A/Ma1' });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ displayName: '7A Maths', externalId: 'bts:c455', externalSource: 'sis' });
    const list = await g.get(`education/classes?$filter=externalId eq 'bts:c455'&$select=id,externalId,mailNickname`);
    expect(list.body.value).toEqual([{ id: c.body.id, externalId: 'bts:c455', mailNickname: 'rc-7a-ma' }]);
    // The class is a Microsoft 365 group with the same id.
    const grp = await g.get(`groups/${c.body.id}?$select=groupTypes,mailEnabled`);
    expect(grp.body).toMatchObject({ groupTypes: ['Unified'], mailEnabled: true });
    const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/education/users/${id}` });
    expect((await g.post(`education/classes/${c.body.id}/teachers/$ref`, ref(t.id))).status).toBe(204);
    expect((await g.post(`education/classes/${c.body.id}/members/$ref`, ref(t.id))).status).toBe(204);
    expect((await g.post(`education/classes/${c.body.id}/members/$ref`, ref(s.id))).status).toBe(204);
    expect((await g.post(`education/classes/${c.body.id}/members/$ref`, ref(s.id))).status).toBe(400);
    const teachers = await g.get(`education/classes/${c.body.id}/teachers`);
    expect(teachers.body.value.map((x: any) => x.id)).toEqual([t.id]);
    // Teaching a class gives no role: primaryRole is what was written on /education/users, `none` until then.
    expect(teachers.body.value[0].primaryRole).toBe('none');
    const members = await g.get(`education/classes/${c.body.id}/members?$select=id`);
    expect(members.body.value).toEqual([{ id: t.id }, { id: s.id }]);
    const patched = await g.patch(`education/classes/${c.body.id}`, { displayName: '7A Mathematics' });
    expect(patched.status).toBe(200);
    expect(patched.body.displayName).toBe('7A Mathematics');
    expect((await g.get(`education/classes/${c.body.id}`)).body.displayName).toBe('7A Mathematics');
    expect((await g.delete(`education/classes/${c.body.id}/members/${s.id}/$ref`)).status).toBe(204);
    expect((await g.delete(`education/classes/${c.body.id}`)).status).toBe(204);
    expect((await g.get(`education/classes/${c.body.id}`)).status).toBe(404);
    expect((await g.get(`directory/deletedItems/${c.body.id}`)).status).toBe(200);
  });

  it('answers 400 Request_UnsupportedQuery on a non-education tenant (the default)', async () => {
    const plain = await startEmulator();
    const pg = new RawGraph(`${plain.url}/v1.0`, plain.ca);
    try {
      const r = await pg.get('education/classes');
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('Request_UnsupportedQuery');
      expect((await pg.post('education/classes', { displayName: 'x', mailNickname: 'x' })).status).toBe(400);
    } finally {
      pg.close();
      await plain.stop();
    }
  });
});

describe('teams', () => {
  it('creates a team from a class asynchronously, then archives and unarchives it', async () => {
    const owner = emu.state.addUser({ userPrincipalName: 'owner@rollcall.test' });
    const cls = emu.state.addClass({ displayName: '8B Science', mailNickname: 'rc-8b-sc', externalId: 'bts:c8', teachers: [owner.id] });
    const r = await g.post('teams', { 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('educationClass')", 'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${cls.id}')` });
    expect(r.status).toBe(202);
    expect(r.headers.location).toMatch(new RegExp(`^/teams\\('${cls.id}'\\)/operations\\('[0-9a-f-]{36}'\\)$`));
    const op1 = await g.get(r.headers.location);
    expect(op1.body.status).toBe('inProgress');
    expect((await g.get(`teams/${cls.id}`)).status).toBe(404);
    let op2 = op1;
    for (let i = 0; i < 40 && op2.body.status !== 'succeeded'; i++) {
      await sleep(50);
      op2 = await g.get(r.headers.location);
    }
    expect(op2.body).toMatchObject({ status: 'succeeded', operationType: 'createTeam', targetResourceId: cls.id });
    const team = await g.get(`teams/${cls.id}`);
    expect(team.body).toMatchObject({ id: cls.id, isArchived: false, displayName: '8B Science' });
    const again = await g.post('teams', { 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('educationClass')", 'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${cls.id}')` });
    expect(again.status).toBe(409);
    const arch = await g.post(`teams/${cls.id}/archive`, {});
    expect(arch.status).toBe(202);
    expect(arch.headers.location).toMatch(/operations/);
    expect((await g.get(`teams/${cls.id}?$select=isArchived`)).body.isArchived).toBe(true);
    expect((await g.post(`teams/${cls.id}/unarchive`)).status).toBe(202);
    expect((await g.get(`teams/${cls.id}?$select=isArchived`)).body.isArchived).toBe(false);
    const grp = await g.get(`groups?$filter=resourceProvisioningOptions/Any(x:x eq 'Team')&$select=id`);
    expect(grp.body.value).toContainEqual({ id: cls.id });
    const seeded = emu.state.addClass({ displayName: 'Old', mailNickname: 'rc-old', teachers: [owner.id] });
    emu.state.addTeam(seeded.id, { isArchived: true });
    const teams = await g.get('teams?$select=id,isArchived&$top=999');
    expect(teams.body.value).toEqual(expect.arrayContaining([{ id: cls.id, isArchived: false }, { id: seeded.id, isArchived: true }]));
  });

  it('fails a team Teams cannot provision: its operation ends failed with the error, and no team appears', async () => {
    const owner = emu.state.addUser({ userPrincipalName: 'owner2@rollcall.test' });
    const cls = emu.state.addClass({ displayName: '9C Art', mailNickname: 'rc-9c-art', externalId: 'bts:c9', teachers: [owner.id] });
    emu.state.teamFailures.set(cls.id, { code: 'TeamProvisioningFailed', message: 'Team provisioning failed.' });
    const r = await g.post('teams', { 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('educationClass')", 'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${cls.id}')` });
    expect(r.status).toBe(202);
    let op = await g.get(r.headers.location);
    for (let i = 0; i < 40 && op.body.status === 'inProgress'; i++) {
      await sleep(50);
      op = await g.get(r.headers.location);
    }
    expect(op.body).toMatchObject({ status: 'failed', operationType: 'createTeam', error: { code: 'TeamProvisioningFailed', message: 'Team provisioning failed.' } });
    expect((await g.get(`teams/${cls.id}`)).status).toBe(404);
    expect((await g.get('teams?$select=id&$top=999')).body.value).not.toContainEqual({ id: cls.id });
  });

  it('answers 404 for a group still replicating, then succeeds', async () => {
    const slow = await startEmulator({ education: true, replicationDelayMs: 1000, teamProvisioningMs: 10 });
    const sg = new RawGraph(`${slow.url}/v1.0`, slow.ca);
    try {
      const owner = slow.state.addUser({ userPrincipalName: 'o@rollcall.test' });
      const c = await sg.post('education/classes', { displayName: 'New', mailNickname: 'rc-new', externalId: 'x1' });
      expect(c.status).toBe(201);
      // The class is not visible yet: reads 404, a $ref to it fails with Graph's replication message.
      expect((await sg.get(`education/classes/${c.body.id}`)).status).toBe(404);
      const t = await sg.post(`education/classes/${c.body.id}/teachers/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/education/users/${owner.id}` });
      expect(t.status).toBe(400);
      expect(t.body.error.message).toBe('The source resource object or one of the objects being referenced do not exist.');
      slow.state.groups.get(c.body.id)!.owners.push(owner.id);
      const body = { 'template@odata.bind': "https://graph.microsoft.com/v1.0/teamsTemplates('educationClass')", 'group@odata.bind': `https://graph.microsoft.com/v1.0/groups('${c.body.id}')` };
      expect((await sg.post('teams', body)).status).toBe(404);
      await sleep(1050);
      expect((await sg.post('teams', body)).status).toBe(202);
      // A new user is also not yet a valid member target.
      const u = await sg.post('users', { accountEnabled: true, displayName: 'N', mailNickname: 'n', userPrincipalName: 'n@rollcall.test', passwordProfile: { password: 'Abcdef1!x' } });
      const m = await sg.post(`groups/${c.body.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u.body.id}` });
      expect(m.status).toBe(400);
      expect(m.body.error.message).toBe('The source resource object or one of the objects being referenced do not exist.');
    } finally {
      sg.close();
      await slow.stop();
    }
  });
});

describe('events', () => {
  const PROP = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name rollcallKey';
  it('creates events with extended properties, finds them by $filter and $expand, honours transactionId', async () => {
    const u = emu.state.addUser({ userPrincipalName: 'cal@rollcall.test' });
    const ev = (key: string, day: string, tx?: string) => ({
      subject: `Lesson ${key}`,
      body: { contentType: 'text', content: 'Room 4' },
      start: { dateTime: `${day}T09:00:00`, timeZone: 'UTC' },
      end: { dateTime: `${day}T10:00:00`, timeZone: 'UTC' },
      location: { displayName: 'Room 4' },
      isReminderOn: true,
      reminderMinutesBeforeStart: 5,
      singleValueExtendedProperties: [{ id: PROP, value: key }],
      ...(tx ? { transactionId: tx } : {}),
    });
    const prefer = { Prefer: 'IdType="ImmutableId"' };
    const a = await g.post(`users/${u.id}/events`, ev('L1', '2026-01-05', 'tx-1'), prefer);
    expect(a.status).toBe(201);
    expect(a.headers['preference-applied']).toBe('IdType="ImmutableId"');
    expect(a.body).not.toHaveProperty('singleValueExtendedProperties');
    const retry = await g.post(`users/${u.id}/events`, ev('L1', '2026-01-05', 'tx-1'), prefer);
    expect(retry.body.id).toBe(a.body.id);
    await g.post(`users/${u.id}/events`, ev('L2', '2026-01-06'));
    expect([...emu.state.events.values()].filter((e) => e.userId === u.id)).toHaveLength(2);

    const filter = `singleValueExtendedProperties/Any(ep: ep/id eq '${PROP}' and ep/value eq 'L2')`;
    const found = await g.get(`users/${u.id}/events?$filter=${encodeURIComponent(filter)}&$select=subject`);
    expect(found.status).toBe(200);
    expect(found.body.value.map((e: any) => e.subject)).toEqual(['Lesson L2']);
    const expanded = await g.get(`users/${u.id}/events?$expand=${encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${PROP}')`)}&$top=1`);
    expect(expanded.body.value[0].singleValueExtendedProperties).toEqual([{ id: PROP, value: 'L1' }]);
    expect(expanded.body['@odata.nextLink']).toBeDefined();
    const view = await g.get(`users/${u.id}/calendarView?startDateTime=2026-01-06T00:00:00Z&endDateTime=2026-01-07T00:00:00Z&$select=subject`);
    expect(view.body.value.map((e: any) => e.subject)).toEqual(['Lesson L2']);
    expect((await g.patch(`users/${u.id}/events/${a.body.id}`, { subject: 'Moved' })).status).toBe(200);
    expect((await g.delete(`users/${u.id}/events/${a.body.id}`)).status).toBe(204);
    const gone = await g.get(`users/${u.id}/events/${a.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('ErrorItemNotFound');
    const bad = await g.post(`users/${u.id}/events`, { subject: 'x', colour: 'red' });
    expect(bad.status).toBe(400);
  });

  it('finds a retried create by transactionId without walking every event in the tenant', async () => {
    // A first sync writes every calendar: a duplicate check that walks all events makes it quadratic.
    const owner = emu.state.addUser({ userPrincipalName: 'busy@rollcall.test' });
    for (let i = 0; i < 2000; i++) emu.state.addEvent(owner.id, { subject: `x${i}`, transactionId: `other-${i}` });
    const u = emu.state.addUser({ userPrincipalName: 'tx@rollcall.test' });
    const body = { subject: 'L', start: { dateTime: '2026-01-05T09:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-01-05T10:00:00', timeZone: 'UTC' }, transactionId: 'tx-walk' };
    const events = emu.state.events;
    let walks = 0;
    const values = events.values.bind(events);
    events.values = () => { walks++; return values(); };
    try {
      const a = await g.post(`users/${u.id}/events`, body);
      const again = await g.post(`users/${u.id}/events`, body);
      expect(a.status).toBe(201);
      expect(again.body.id).toBe(a.body.id);
      expect(walks).toBe(0);
    } finally {
      delete (events as { values?: unknown }).values;
    }
  });

  it('keeps sent mail in the outbox', async () => {
    const u = emu.state.addUser({ userPrincipalName: 'sender@rollcall.test' });
    const r = await g.post(`users/${u.id}/sendMail`, { message: { subject: 'Hi', body: { contentType: 'text', content: 'x' }, toRecipients: [{ emailAddress: { address: 'a@b.test' } }] }, saveToSentItems: false });
    expect(r.status).toBe(202);
    expect(emu.state.outbox.at(-1)).toMatchObject({ from: 'sender@rollcall.test', message: { subject: 'Hi' } });
    expect((await g.post(`users/${u.id}/sendMail`, { message: { subject: 'none' } })).status).toBe(400);
  });
});

describe('delta', () => {
  it('pages users/delta to a deltaLink, then returns only changes and removals', async () => {
    const d = await startEmulator();
    const dg = new RawGraph(`${d.url}/v1.0`, d.ca);
    try {
      const ids = Array.from({ length: 5 }, (_, i) => d.state.addUser({ userPrincipalName: `d${i}@rollcall.test`, employeeId: `e${i}` }).id);
      let link: string | undefined = 'users/delta?$select=id,userPrincipalName,employeeId';
      const seen: any[] = [];
      let deltaLink = '';
      while (link) {
        const r: any = await dg.get(link, { Prefer: 'odata.maxpagesize=2' });
        expect(r.status).toBe(200);
        seen.push(...r.body.value);
        link = r.body['@odata.nextLink'];
        if (!link) deltaLink = r.body['@odata.deltaLink'];
      }
      expect(seen.map((x) => x.id).sort()).toEqual([...ids].sort());
      expect(seen[0]).toHaveProperty('employeeId');
      expect(deltaLink).toContain('$deltatoken=');
      // Changes: one patched, one soft-deleted, one created.
      await dg.patch(`users/${ids[0]}`, { displayName: 'Renamed' });
      await dg.delete(`users/${ids[1]}`);
      const created = d.state.addUser({ userPrincipalName: 'new@rollcall.test' });
      const r2 = await dg.get(deltaLink);
      const byId = Object.fromEntries(r2.body.value.map((x: any) => [x.id, x]));
      expect(Object.keys(byId).sort()).toEqual([ids[0], ids[1], created.id].sort());
      expect(byId[ids[1]]['@removed']).toEqual({ reason: 'changed' });
      expect(r2.body['@odata.deltaLink']).toBeDefined();
      const r3 = await dg.get(r2.body['@odata.deltaLink']);
      expect(r3.body.value).toEqual([]);
      // A token older than 7 days means a full resync: 410 Gone.
      const old = new URL(r3.body['@odata.deltaLink']);
      const token = JSON.parse(Buffer.from(old.searchParams.get('$deltatoken')!, 'base64url').toString());
      old.searchParams.set('$deltatoken', Buffer.from(JSON.stringify({ ...token, t: token.t - 8 * 24 * 3600 * 1000 })).toString('base64url'));
      const expired = await dg.get(old.toString());
      expect(expired.status).toBe(410);
      expect(expired.body.error.code).toBe('resyncRequired');
    } finally {
      dg.close();
      await d.stop();
    }
  });

  it('does not report a restore from deletedItems in a round with $select (as Graph), but does without one', async () => {
    const d = await startEmulator();
    const dg = new RawGraph(`${d.url}/v1.0`, d.ca);
    try {
      const u = d.state.addUser({ userPrincipalName: 'back@rollcall.test' });
      expect((await dg.delete(`users/${u.id}`)).status).toBe(204);
      const selected = await dg.get('users/delta?$select=id,displayName&$deltatoken=latest');
      const all = await dg.get('users/delta?$deltatoken=latest');
      expect((await dg.post(`directory/deletedItems/${u.id}/restore`)).status).toBe(200);
      expect((await dg.get(selected.body['@odata.deltaLink'])).body.value).toEqual([]);
      expect((await dg.get(all.body['@odata.deltaLink'])).body.value.map((x: any) => x.id)).toEqual([u.id]);
      // Changed again after the restore, it is reported as any change is.
      const next = await dg.get('users/delta?$select=id,displayName&$deltatoken=latest');
      await dg.patch(`users/${u.id}`, { displayName: 'Back again' });
      expect((await dg.get(next.body['@odata.deltaLink'])).body.value).toEqual([expect.objectContaining({ id: u.id, displayName: 'Back again' })]);
    } finally {
      dg.close();
      await d.stop();
    }
  });

  it('gives members@delta on groups/delta and only membership changes afterwards', async () => {
    const d = await startEmulator();
    const dg = new RawGraph(`${d.url}/v1.0`, d.ca);
    try {
      const us = Array.from({ length: 3 }, (_, i) => d.state.addUser({ userPrincipalName: `m${i}@rollcall.test` }).id);
      const grp = d.state.addGroup({ displayName: 'G', mailNickname: 'rc-g', members: [us[0], us[1]] });
      const sec = d.state.addGroup({ displayName: 'S', mailNickname: 'rc-s' });
      const r1 = await dg.get('groups/delta?$select=displayName,mailNickname,members');
      const g1 = r1.body.value.find((x: any) => x.id === grp.id);
      expect(g1.displayName).toBe('G');
      expect(g1['members@delta']).toEqual([
        { '@odata.type': '#microsoft.graph.user', id: us[0] },
        { '@odata.type': '#microsoft.graph.user', id: us[1] },
      ]);
      await dg.post(`groups/${grp.id}/members/$ref`, { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${us[2]}` });
      await dg.delete(`groups/${grp.id}/members/${us[0]}/$ref`);
      await dg.delete(`groups/${sec.id}`);
      const r2 = await dg.get(r1.body['@odata.deltaLink']);
      const g2 = r2.body.value.find((x: any) => x.id === grp.id);
      expect(g2['members@delta']).toEqual([
        { '@odata.type': '#microsoft.graph.user', id: us[2] },
        { '@odata.type': '#microsoft.graph.user', id: us[0], '@removed': { reason: 'deleted' } },
      ]);
      expect(r2.body.value.find((x: any) => x.id === sec.id)).toEqual({ id: sec.id, '@removed': { reason: 'deleted' } });
    } finally {
      dg.close();
      await d.stop();
    }
  });
});
