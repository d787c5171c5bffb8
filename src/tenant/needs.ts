// What a configuration will ask of Microsoft Graph, as the requests rollcall sends (the reader's and the writer's
// URLs), each with the feature that sends it: `rollcall check` measures them against the token through the one
// permissions table, so the list of permissions a school needs is never written down twice.
import { CLASS_SELECT, EDUCATION_USER_SELECT, EVENT_SELECT, GROUP_SELECT, RELATED_CONTACTS, USER_SELECT } from './graph/constants.js';
import type { GraphRequest } from './permissions.js';

/** The features of a configuration that decide which Graph calls a run makes. */
export interface GraphFeatures {
  /** users.mode: create (creates, suspends, records leave dates) or link (updates existing accounts only). */
  usersMode: 'create' | 'link';
  /** users.leavers.action delete, or a deleteAfterDays: accounts are deleted (and restored when people return). */
  deletesUsers: boolean;
  /** Groups: groups.from, or security groups named in the users' policies. */
  groups: boolean;
  /** tenant.education: education classes are read (and written when classes are configured). */
  education: boolean;
  classes: boolean;
  /** classes.team and classes.onEnd archive. */
  teams: boolean;
  archivesTeams: boolean;
  calendar: boolean;
  summaryMail: boolean;
  /** guardians: students' relatedContacts read and written (Education tenants). */
  guardians?: boolean;
  /** users.*.licences: licences assigned directly (subscribedSkus read, assignLicense written). */
  licences: boolean;
}

export interface GraphNeed {
  request: GraphRequest;
  /** The feature, in words: "recording leavers' leave date (users.leavers)". */
  why: string;
}

const ID = '00000000-0000-0000-0000-000000000000';
const get = (url: string, why: string): GraphNeed => ({ request: { method: 'GET', url }, why });
const send = (method: string, url: string, why: string, body?: unknown): GraphNeed => ({ request: { method, url, ...(body !== undefined ? { body } : {}) }, why });

export function graphNeeds(f: GraphFeatures): GraphNeed[] {
  const needs: GraphNeed[] = [
    get(`/users?$select=${USER_SELECT.join(',')}`, 'reading accounts, leave dates included'),
    get(`/groups/delta?$select=${[...GROUP_SELECT, 'members', 'owners'].join(',')}`, 'reading groups and their members'),
    send('PATCH', `/users/${ID}`, f.usersMode === 'create' ? 'creating, updating and suspending accounts' : 'updating linked accounts', { displayName: '' }),
  ];
  if (f.usersMode === 'create') {
    needs.push(send('POST', '/users', 'creating accounts', { displayName: '' }));
    needs.push(send('PATCH', `/users/${ID}`, "recording leavers' leave date (employeeLeaveDateTime)", { employeeLeaveDateTime: null }));
  }
  if (f.deletesUsers) {
    needs.push(send('DELETE', `/users/${ID}`, 'deleting leavers (users.leavers)'));
    needs.push(send('POST', `/directory/deletedItems/${ID}/restore`, 'restoring deleted accounts of people who return'));
  }
  if (f.groups || f.classes) {
    needs.push(send('POST', '/groups', 'creating groups', { displayName: '' }));
    needs.push(send('PATCH', `/groups/${ID}`, 'updating groups and adding members', { 'members@odata.bind': [] }));
    needs.push(send('POST', `/groups/${ID}/members/$ref`, 'adding members'));
    needs.push(send('DELETE', `/groups/${ID}/members/${ID}/$ref`, 'removing members'));
    needs.push(send('POST', `/groups/${ID}/owners/$ref`, 'adding owners'));
    needs.push(send('DELETE', `/groups/${ID}/owners/${ID}/$ref`, 'removing owners'));
  }
  if (f.education) {
    needs.push(get(`/education/classes?$select=${CLASS_SELECT.join(',')}`, 'reading education classes (tenant.education)'));
    needs.push(get('/teams?$select=id,isArchived', 'reading class teams (tenant.education)'));
  }
  if (f.education && f.classes) {
    needs.push(send('POST', '/education/classes', 'creating education classes', { displayName: '' }));
    needs.push(send('POST', `/education/classes/${ID}/members/$ref`, 'enrolling pupils and teachers in classes'));
    needs.push(send('DELETE', `/education/classes/${ID}/members/${ID}/$ref`, 'removing pupils and teachers from classes'));
  }
  if (f.teams) needs.push(send('POST', '/teams', 'creating class teams (classes.team)'));
  if (f.archivesTeams) needs.push(send('POST', `/teams/${ID}/archive`, 'archiving the teams of ended classes (classes.onEnd)'));
  if (f.calendar) {
    needs.push(get(`/users/${ID}/calendarView?$select=${EVENT_SELECT.join(',')}`, 'reading the lessons in calendars (calendar)'));
    needs.push(send('POST', `/users/${ID}/events`, 'writing lessons into calendars (calendar)'));
  }
  if (f.education && f.guardians) {
    needs.push(get(`/education/users?$select=${[...EDUCATION_USER_SELECT, RELATED_CONTACTS].join(',')}`, "reading students' guardians (guardians)"));
    needs.push(send('PATCH', `/education/users/${ID}`, "writing students' guardians (guardians)", { relatedContacts: [] }));
  }
  if (f.licences) {
    needs.push(get('/subscribedSkus', "reading the tenant's licences and free units (users.*.licences)"));
    needs.push(send('POST', `/users/${ID}/assignLicense`, 'assigning and removing licences (users.*.licences)', { addLicenses: [], removeLicenses: [] }));
  }
  if (f.summaryMail) needs.push(send('POST', `/users/${ID}/sendMail`, 'sending the summary mail (report.summaryTo)'));
  return needs;
}
