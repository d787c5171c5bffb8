import { describe, expect, it } from 'vitest';
import { SourceError } from '../../errors.js';
import type { DataSet, DataSetRow } from './dataset.js';
import { emailColumns, workEmails } from './emails.js';

const table = (columns: [string, string][], rows: DataSetRow[]): DataSet => ({
  columns: new Map(columns.map(([name, type]) => [name.toLowerCase(), { name, type }])),
  rows,
});

describe('Emails columns', () => {
  it('maps the first known candidate of each role, whatever its case; the primary column is optional', () => {
    expect(emailColumns(table([['PERSONID', 'int'], ['Address', 'string'], ['Type', 'string']], []).columns)).toEqual({ person: 'personid', address: 'address', type: 'type' });
    expect(emailColumns(table([['PersonID', 'int'], ['Email', 'string'], ['EmailAddress', 'string'], ['EmailType', 'string'], ['Primary', 'boolean']], []).columns))
      .toEqual({ person: 'personid', address: 'emailaddress', type: 'emailtype', primary: 'primary' });
  });

  it('names every role nothing fits, and the columns the service has', () => {
    const e = (() => {
      try {
        emailColumns(table([['ID', 'int'], ['Value', 'string']], []).columns);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(SourceError);
    expect((e as Error).message).toBe('Bromcom entity Emails has no column rollcall knows for the person (PersonID), nor for the address (EmailAddress, Email, Address), nor for the type (EmailType, EmailTypeDescription, Type); it has: ID, Value');
  });
});

describe('work e-mails by person', () => {
  const cols = { person: 'personid', address: 'emailaddress', type: 'emailtype', primary: 'isprimary' };
  const row = (personid: number, emailaddress: string, emailtype: string, isprimary?: boolean): DataSetRow => ({ personid, emailaddress, emailtype, ...(isprimary === undefined ? {} : { isprimary }) });

  it('Work and School count (also "Work Email"), Home and other types never, primary or not', () => {
    const { byPerson } = workEmails(table([], [
      row(1, 'a@home.example', 'Home', true), row(1, 'a@school.example', 'Work Email', false),
      row(2, 'b@home.example', 'Home', true), row(2, 'b@other.example', 'Personal', true),
      row(3, ' c@school.example ', 'school'),
    ]), cols);
    expect([...byPerson]).toEqual([['1', 'a@school.example'], ['3', 'c@school.example']]);
  });

  it('the primary flag breaks a tie between different work addresses; the same address in two spellings is one', () => {
    const { byPerson, warnings } = workEmails(table([], [
      row(1, 'one@school.example', 'Work', false), row(1, 'two@school.example', 'Work', true),
      row(2, 'Same@School.example', 'Work'), row(2, 'same@school.example', 'School'),
      row(3, 'x@school.example', 'Work'), row(3, 'y@school.example', 'Work'),
    ]), cols);
    expect([...byPerson]).toEqual([['1', 'two@school.example'], ['2', 'Same@School.example']]);
    expect(warnings).toEqual(["1 person(s) have more than one work e-mail in Bromcom's Emails and none is marked primary: they are not matched by work e-mail"]);
  });

  it('Priority ranks lowest first; a value that is not an address is left out and counted', () => {
    const { byPerson, warnings } = workEmails(table([], [
      { personid: 1, emailaddress: 'second@school.example', emailtype: 'Work', priority: 2 },
      { personid: 1, emailaddress: 'first@school.example', emailtype: 'Work', priority: 1 },
      { personid: 2, emailaddress: 'not an address', emailtype: 'Work', priority: 1 },
    ]), { ...cols, primary: 'priority' });
    expect([...byPerson]).toEqual([['1', 'first@school.example']]);
    expect(warnings).toEqual(["1 work e-mail value(s) in Bromcom's Emails are not e-mail addresses and were left out"]);
  });
});
