// How rollcall recognises its own calendar events: a single-value extended property whose value is the lesson's
// stable tag. The planner writes it into each event it creates and the tenant reader filters on it, so it lives
// here, below both (plan/ imports nothing but types from tenant/).

/** The GUID of rollcall's single-value extended property on calendar events. */
export const ROLLCALL_PROPERTY_SET = '66f5a359-4659-4c5d-9d49-8a2a5a3a0c1e';
/** The full extended property id events are tagged with (value = the lesson's stable key). */
export const ROLLCALL_EVENT_PROPERTY_ID = `String {${ROLLCALL_PROPERTY_SET}} Name rollcallKey`;
