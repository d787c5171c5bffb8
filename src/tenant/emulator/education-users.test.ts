import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from './index.js';
import { newUser, RawGraph } from '../../../test/support/emulator-kit.js';

let emu: RunningEmulator;
let g: RawGraph;
beforeAll(async () => {
  emu = await startEmulator({ education: true });
  g = new RawGraph(`${emu.url}/v1.0`, emu.ca);
});
afterAll(async () => {
  g.close();
  await emu.stop();
});

describe('education users (/education/users)', () => {
  it('derives no role from employeeType: a user nobody set has primaryRole none and no student or teacher data', async () => {
    const staff = emu.state.addUser({ userPrincipalName: 'staff1@rollcall.test', employeeType: 'Staff' });
    const pupil = emu.state.addUser({ userPrincipalName: 'pupil1@rollcall.test', employeeType: 'Student' });
    for (const u of [staff, pupil]) {
      const r = await g.get(`education/users/${u.id}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: u.id, primaryRole: 'none', student: null, teacher: null });
    }
  });

  it('PATCH stores primaryRole, student and teacher data; later PATCHes merge student data property by property', async () => {
    const u = emu.state.addUser({ userPrincipalName: 'pupil2@rollcall.test' });
    const first = await g.patch(`education/users/${u.id}`, { primaryRole: 'student', student: { externalId: '1002', studentNumber: 'A1002', grade: '7', graduationYear: '2032' } });
    expect(first.status).toBe(204);
    expect((await g.get(`education/users/${u.id}?$select=id,primaryRole,student`)).body).toMatchObject({
      id: u.id, primaryRole: 'student', student: { externalId: '1002', studentNumber: 'A1002', grade: '7', graduationYear: '2032' },
    });
    expect((await g.patch(`education/users/${u.id}`, { student: { grade: '8' } })).status).toBe(204);
    const list = await g.get(`education/users?$select=id,primaryRole,student,teacher`);
    const row = list.body.value.find((x: { id: string }) => x.id === u.id);
    expect(row).toEqual({ id: u.id, primaryRole: 'student', student: { externalId: '1002', studentNumber: 'A1002', grade: '8', graduationYear: '2032' }, teacher: null });

    const t = emu.state.addUser({ userPrincipalName: 'teacher2@rollcall.test' });
    expect((await g.patch(`education/users/${t.id}`, { primaryRole: 'teacher', teacher: { externalId: '77', teacherNumber: 'ABC' } })).status).toBe(204);
    expect((await g.get(`education/users/${t.id}`)).body).toMatchObject({ primaryRole: 'teacher', teacher: { externalId: '77', teacherNumber: 'ABC' }, student: null });
  });

  it('refuses what Graph refuses: unknown properties, a role outside the enum, a null role, an unknown user', async () => {
    const u = emu.state.addUser({ userPrincipalName: 'pupil3@rollcall.test' });
    expect((await g.patch(`education/users/${u.id}`, { externalId: 'x' })).status).toBe(400);
    expect((await g.patch(`education/users/${u.id}`, { primaryRole: 'pupil' })).status).toBe(400);
    expect((await g.patch(`education/users/${u.id}`, { primaryRole: null })).status).toBe(400);
    expect((await g.patch(`education/users/${u.id}`, { student: { grade: 7 } })).status).toBe(400);
    expect((await g.patch('education/users/00000000-0000-0000-0000-000000000000', { primaryRole: 'student' })).status).toBe(404);
    expect((await g.get(`education/users/${u.id}`)).body.primaryRole).toBe('none');
  });

  it('a user still replicating is not found there yet, for PATCH as for GET; once replicated the PATCH goes through', async () => {
    const slow = await startEmulator({ education: true, replicationDelayMs: 800 });
    const sg = new RawGraph(`${slow.url}/v1.0`, slow.ca);
    try {
      const created = await sg.post('users', newUser('fresh1'));
      expect(created.status).toBe(201);
      expect((await sg.patch(`education/users/${created.body.id}`, { primaryRole: 'student' })).status).toBe(404);
      expect((await sg.get(`education/users/${created.body.id}`)).status).toBe(404);
      await new Promise((r) => setTimeout(r, 900));
      expect((await sg.patch(`education/users/${created.body.id}`, { primaryRole: 'student' })).status).toBe(204);
      expect((await sg.get(`education/users/${created.body.id}`)).body.primaryRole).toBe('student');
    } finally {
      sg.close();
      await slow.stop();
    }
  });

  it('answers 400 Request_UnsupportedQuery on a tenant that is not an Education tenant', async () => {
    const plain = await startEmulator();
    const pg = new RawGraph(`${plain.url}/v1.0`, plain.ca);
    try {
      const u = plain.state.addUser({ userPrincipalName: 'x@rollcall.test' });
      const r = await pg.get('education/users');
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('Request_UnsupportedQuery');
      expect((await pg.patch(`education/users/${u.id}`, { primaryRole: 'student' })).status).toBe(400);
    } finally {
      pg.close();
      await plain.stop();
    }
  });
});
