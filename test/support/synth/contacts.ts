import { FIRST_NAMES } from './names.js';
import type { SynthSchool } from './school.js';

/** A pupil's contact as the synthetic MIS holds it, with what Graph should be told (written here by hand, not by the product's tables). */
export interface SynthContact {
  student: string;
  personId: number;
  first: string;
  last: string;
  /** The MIS's word for the relationship. */
  word: string;
  /** Graph's word for it. */
  graph: 'parent' | 'guardian' | 'relative' | 'other';
  priority: number;
  responsibility: boolean;
  /** The contact's address (a Home one, primary); undefined: none on file. */
  email?: string;
  /** The contact's mobile; undefined: none (some have only a Home landline). */
  mobile?: string;
}

const FIRST: [word: string, graph: SynthContact['graph']][] = [['Mother', 'parent'], ['Father', 'parent'], ['Carer', 'guardian'], ['Grandmother', 'relative'], ['Step Father', 'parent']];
const SECOND: [word: string, graph: SynthContact['graph']][] = [['Father', 'parent'], ['Other Relative', 'relative'], ['Family Friend', 'other']];

/**
 * Every pupil has a first contact; every second pupil a second one; every seventh pupil shares the previous
 * pupil's first contact (siblings: one person, two pupils). Deterministic, so tests can say what to expect.
 */
export function synthContacts(school: SynthSchool): SynthContact[] {
  const students = school.people.filter((p) => p.kind === 'student');
  const out: SynthContact[] = [];
  let firstOfPrevious: SynthContact | undefined;
  students.forEach((s, i) => {
    const shared = i % 7 === 3 && firstOfPrevious;
    const pid = 800000 + 2 * i;
    const [word, graph] = FIRST[i % FIRST.length];
    const first: SynthContact = shared
      ? { ...firstOfPrevious!, student: s.misId }
      : {
          student: s.misId, personId: pid, first: FIRST_NAMES[(i * 3 + 1) % FIRST_NAMES.length], last: s.legal.last, word, graph, priority: 1, responsibility: true,
          email: `contact${pid}@home.example`, mobile: `+44 7700 ${String(900000 + (i % 100000)).slice(-6)}`,
        };
    out.push(first);
    firstOfPrevious = first;
    if (i % 2 === 0) {
      const [w2, g2] = SECOND[(i / 2) % SECOND.length];
      out.push({
        student: s.misId, personId: pid + 1, first: FIRST_NAMES[(i * 5 + 2) % FIRST_NAMES.length], last: s.legal.last, word: w2, graph: g2, priority: 2,
        responsibility: i % 4 === 0, email: i % 6 === 0 ? undefined : `contact${pid + 1}@home.example`,
      });
    }
  });
  return out;
}
