// Which Bromcom entities a configuration reads: one list for the reader and for `rollcall check`, so the check
// asks for exactly the Third Party permissions a run will use.

export const REQUIRED_ENTITIES = ['Students', 'Staff', 'Collections', 'CollectionAssociates', 'CollectionExecutives', 'SubjectClasses'] as const;

/** The parts of a configuration that decide which entities are read (the resolved config has them all). */
export interface EntityNeeds {
  calendar: { enabled: boolean };
  users?: { match?: readonly string[] };
}

/** Entities the configuration needs, in reading order: people and groups always, the timetable for calendars. */
export function entitiesNeeded(config: EntityNeeds): string[] {
  return [...REQUIRED_ENTITIES, ...(config.calendar.enabled ? ['TimeTable'] : [])];
}
