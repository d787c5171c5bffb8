import type { SecretRef } from '../config/secrets.js';

export interface BromcomSourceConfig {
  /** The TPReadOnlyDataService.asmx address; schools outside the main cloud use a regional host. */
  url: string;
  schoolId: number;
  username: SecretRef;
  password: SecretRef;
  /** Per request; default 120. */
  timeoutSeconds?: number;
  /** Retries of transient failures (timeouts, resets, 5xx without a fault); default 3. */
  retries?: number;
}

export interface OneRosterSourceConfig {
  dir: string;
  /** The schools of a trust-wide export this config provisions (org sourcedIds or names); absent = all of it. */
  schools?: string[];
}

export interface SdsSourceConfig {
  dir: string;
  /** default v2.1 */
  format?: 'v2.1' | 'v1' | 'uk';
  /** The schools of a trust-wide export this config provisions (org ids or names); absent = all of it. */
  schools?: string[];
}

export interface CsvStudentColumns {
  id?: string; first?: string; last?: string; middle?: string; preferredFirst?: string; preferredLast?: string;
  yearGroup?: string; registrationGroup?: string; house?: string; admissionNumber?: string; upn?: string;
  startDate?: string; endDate?: string; email?: string;
}
export interface CsvStaffColumns {
  id?: string; first?: string; last?: string; middle?: string; preferredFirst?: string; preferredLast?: string;
  staffCode?: string; email?: string; startDate?: string; endDate?: string;
}
export interface CsvGroupColumns { id?: string; name?: string; kind?: string; subject?: string; startDate?: string; endDate?: string }
export interface CsvMembershipColumns { group?: string; person?: string; role?: string }
export interface CsvContactColumns {
  student?: string; id?: string; name?: string; first?: string; last?: string; email?: string; phone?: string;
  relationship?: string; consent?: string; priority?: string;
}
export interface CsvLessonColumns { group?: string; staff?: string; room?: string; period?: string; start?: string; end?: string }

export interface CsvSourceConfig {
  dir: string;
  /** File names inside dir; groups, memberships and lessons files are optional. */
  files?: { students?: string; staff?: string; groups?: string; memberships?: string; lessons?: string; contacts?: string };
  /** Header names in the files; each defaults to the key's own name. */
  columns?: {
    students?: CsvStudentColumns;
    staff?: CsvStaffColumns;
    groups?: CsvGroupColumns;
    memberships?: CsvMembershipColumns;
    lessons?: CsvLessonColumns;
    contacts?: CsvContactColumns;
  };
}

/** Exactly one of these is present. */
export interface SourceConfig {
  bromcom?: BromcomSourceConfig;
  oneroster?: OneRosterSourceConfig;
  sds?: SdsSourceConfig;
  csv?: CsvSourceConfig;
}
