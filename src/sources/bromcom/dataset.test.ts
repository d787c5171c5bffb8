import { describe, expect, it } from 'vitest';
import { renderDataSet } from '../../../test/support/synth/dataset-xml.js';
import { parseDataSetXml } from './dataset.js';

const envelope = (inner: string) =>
  `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><getEntityDataResponse xmlns="http://tempuri.org/"><getEntityDataResult>${inner}</getEntityDataResult></getEntityDataResponse></soap:Body></soap:Envelope>`;

describe('DataSet reading', () => {
  const table = { columns: [['StudentID', 'xs:int'], ['FirstName', 'xs:string'], ['EndDate', 'xs:dateTime']] as [string, 'xs:int' | 'xs:string' | 'xs:dateTime'][], rows: [] };

  it('converts by the inline schema types; an omitted column is NULL; keys are case-folded', () => {
    const xml = envelope(renderDataSet(table, [{ StudentID: 101, FirstName: 'Zoë & Co <x>' }, { StudentID: 102, EndDate: '2025-07-20T00:00:00+01:00' }]));
    const ds = parseDataSetXml(xml, 'Students');
    expect([...ds.columns.values()]).toEqual([{ name: 'StudentID', type: 'int' }, { name: 'FirstName', type: 'string' }, { name: 'EndDate', type: 'dateTime' }]);
    expect(ds.rows).toEqual([{ studentid: 101, firstname: 'Zoë & Co <x>' }, { studentid: 102, enddate: '2025-07-20T00:00:00+01:00' }]);
  });

  it('an empty diffgram is a table with columns and no rows', () => {
    const ds = parseDataSetXml(envelope(renderDataSet(table, [])), 'Students');
    expect(ds.rows).toEqual([]);
    expect(ds.columns.size).toBe(3);
  });

  it('a value that does not match its declared type is an error naming the row and column', () => {
    const xml = envelope(renderDataSet(table, [{ StudentID: 'abc' as unknown as number }]));
    expect(() => parseDataSetXml(xml, 'Students')).toThrow('Students row 1 column StudentID: "abc" is not a number');
  });

  it('rows under diffgr:before (old versions) are not rows', () => {
    const ds = renderDataSet(table, [{ StudentID: 1 }]).replace('</diffgr:diffgram>', '<diffgr:before><Table diffgr:id="Table1"><StudentID>99</StudentID></Table></diffgr:before></diffgr:diffgram>');
    expect(parseDataSetXml(envelope(ds), 'Students').rows).toEqual([{ studentid: 1 }]);
  });

  it('a result without schema and diffgram is not a DataSet', () => {
    expect(() => parseDataSetXml(envelope('<Error>Object reference not set</Error>'), 'Students')).toThrow("Bromcom's response to Students is not a DataSet (no inline xs:schema, diffgram)");
  });

  it('a SOAP fault in the body is reported with its text', () => {
    const xml = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Timeout expired</faultstring></soap:Fault></soap:Body></soap:Envelope>';
    expect(() => parseDataSetXml(xml, 'Staff')).toThrow('Bromcom answered Staff with a SOAP fault: Timeout expired');
  });

  it('malformed XML is an error, not a partial table', () => {
    expect(() => parseDataSetXml(envelope(renderDataSet(table, [{ StudentID: 1 }])).slice(0, -40), 'Students')).toThrow(/not (well-formed XML|a DataSet)/);
  });
});
