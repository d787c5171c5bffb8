import { type GuardiansSetting, wantsContactPhones, wantsContacts } from '../contacts.js';

// The Bromcom entities a configuration reads: one list for the reader (which asks findEntitiesBySchoolID for them
// before reading anything) and for `rollcall check`, which tells a school what to enable for the Third Party user.

/** Read whatever the configuration says. */
export const REQUIRED_ENTITIES = ['Students', 'Staff', 'Collections', 'CollectionAssociates', 'CollectionExecutives', 'SubjectClasses'] as const;

export interface EntityNeeds {
  /** The calendar is on: the timetable is read. */
  calendar: boolean;
  /** users.match has workEmail: e-mail addresses are read from Emails (the Staff and Students entities have none). */
  workEmail: boolean;
  /** guardians: is on: pupils' contacts (StudentContacts), their names (People) and e-mails (Emails). */
  contacts?: boolean;
  /** guardians.phones: contacts' mobile numbers (PersonTelephones). */
  contactPhones?: boolean;
}

export function entitiesFor(needs: EntityNeeds): string[] {
  return [
    ...REQUIRED_ENTITIES,
    ...(needs.calendar ? ['TimeTable'] : []),
    ...(needs.workEmail || needs.contacts ? ['Emails'] : []),
    ...(needs.contacts ? ['StudentContacts', 'People', ...(needs.contactPhones ? ['PersonTelephones'] : [])] : []),
  ];
}

/** What a (resolved) configuration needs the Bromcom user to be allowed to read, in the order it is read. */
export function entitiesNeeded(config: GuardiansSetting & { calendar: { enabled: boolean }; users?: { match?: readonly string[] } }): string[] {
  return entitiesFor({
    calendar: config.calendar.enabled,
    workEmail: config.users?.match?.includes('workEmail') ?? false,
    contacts: wantsContacts(config),
    contactPhones: wantsContactPhones(config),
  });
}
