import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Settings } from 'luxon';
import { HOLIDAY_FILE_MAX_CHARS, HOLIDAY_FILE_MAX_LINES, parseCalendarDate, parseHolidayFile } from './holiday-file';

describe('parseCalendarDate', () => {
  it('reads the accepted formats', () => {
    assert.equal(parseCalendarDate('2026-01-26'), '2026-01-26');
    assert.equal(parseCalendarDate('2026-1-5'), '2026-01-05');
    assert.equal(parseCalendarDate('26-01-2026'), '2026-01-26');
    assert.equal(parseCalendarDate('26/01/2026'), '2026-01-26');
    assert.equal(parseCalendarDate('26.1.2026'), '2026-01-26');
    assert.equal(parseCalendarDate('26-Jan-2026'), '2026-01-26');
    assert.equal(parseCalendarDate(' 3-MAR-2026 '), '2026-03-03');
    assert.equal(parseCalendarDate('15-August-2026'), '2026-08-15');
    assert.equal(parseCalendarDate('15 Sept. 2026'), '2026-09-15');
    assert.equal(parseCalendarDate('2/Octob/2026'), '2026-10-02');
    assert.equal(parseCalendarDate('29-Feb-2028'), '2028-02-29');
  });

  it('refuses what is not a real date', () => {
    for (const bad of ['31-02-2026', '29-Feb-2026', '2026-13-01', '26-Jab-2026', '26-Ja-2026', '26-Janx-2026', 'Republic Day', '', '01/26/2026', '26/01-2026', '126-01-2026', '26-01-02026']) {
      assert.equal(parseCalendarDate(bad), null, bad);
    }
  });

  it('reads English month names whatever the computer\'s locale', () => {
    const before = Settings.defaultLocale;
    try {
      Settings.defaultLocale = 'en-IN'; // whose short September is "Sept", not "Sep"
      assert.equal(parseCalendarDate('15-Sep-2026'), '2026-09-15');
      Settings.defaultLocale = 'hi-IN';
      assert.equal(parseCalendarDate('26-Jan-2026'), '2026-01-26');
    } finally {
      Settings.defaultLocale = before;
    }
  });
});

describe('parseHolidayFile', () => {
  it('reads the NSE website CSV (quoted descriptions, notes, CRLF, BOM)', () => {
    const csv = '\uFEFFSr. No,Date,Day,Description\r\n' +
      '1,26-Jan-2026,Monday,Republic Day\r\n' +
      '2,03-Mar-2026,Tuesday,"Holi, the festival of colours"\r\n' +
      '3,26-Jan-2026,Monday,"Duplicate, listed twice"\r\n' +
      '4,10-Nov-2026,Tuesday,"Diwali Laxmi Pujan*"\r\n' +
      '\r\n' +
      '"* Muhurat trading will be held on this day, timings to be notified",,,\r\n';
    assert.deepEqual(parseHolidayFile(csv, 'NSE_holidays_2026.csv'), ['2026-01-26', '2026-03-03', '2026-11-10']);
  });

  it('reads CSV with one date per line, or with other separators and headers', () => {
    assert.deepEqual(parseHolidayFile('2026-03-03\n26/01/2026\n\n', 'h.csv'), ['2026-01-26', '2026-03-03']);
    assert.deepEqual(parseHolidayFile('Holiday Date;Name\n26-01-2026;Republic Day, India\n', 'h.csv'), ['2026-01-26']);
    assert.deepEqual(parseHolidayFile('name\ttradingDate\nHoli\t03-Mar-2026\n', 'h.txt'), ['2026-03-03']);
    // The separator is the one that splits the header most, quotes respected: not the comma here.
    assert.deepEqual(parseHolidayFile('Date;"Name, in full"\n03-03-2026;"Holi, the festival"\n', 'h.csv'), ['2026-03-03']);
  });

  it('reads JSON: a list of dates, of objects, or NSE\'s holiday API answer', () => {
    assert.deepEqual(parseHolidayFile('["2026-03-03", "26-Jan-2026"]', 'h.json'), ['2026-01-26', '2026-03-03']);
    assert.deepEqual(parseHolidayFile('[{"date":"2026-01-26"},{"Date":"03/03/2026","name":"Holi"}]', 'h.json'), ['2026-01-26', '2026-03-03']);
    const nse = JSON.stringify({
      CM: [{ tradingDate: '26-Jan-2026', weekDay: 'Monday', description: 'Republic Day', Sr_no: 1 }],
      FO: [{ tradingDate: '27-Jan-2026', weekDay: 'Tuesday', description: 'Not equities', Sr_no: 1 }],
    });
    assert.deepEqual(parseHolidayFile(nse, 'holiday-master.json'), ['2026-01-26']);
  });

  it('names the file and the first bad line or value', () => {
    assert.throws(() => parseHolidayFile('Sr. No,Date,Day\n1,26-Jan-2026,Monday\n2,31-Feb-2026,Tuesday\n3,junk,x\n', 'holidays.csv'),
      { message: 'holidays.csv line 3: "31-Feb-2026" is not a date (use YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or DD-Mon-YYYY)' });
    assert.throws(() => parseHolidayFile('Holidays of 2026\n26-Jan-2026\n', 'list.csv'),
      { message: 'list.csv line 1: "Holidays of 2026" is neither a date nor a header with a Date column' });
    assert.throws(() => parseHolidayFile('["2026-01-26", "tomorrow"]', 'h.json'), /^Error: h\.json item 2: "tomorrow" is not a date/);
    assert.throws(() => parseHolidayFile('[{"day":"2026-01-26"}]', 'h.json'), /h\.json item 1: no date field/);
    assert.throws(() => parseHolidayFile('[1, 2', 'broken.json'), /^Error: broken\.json: not valid JSON \(/);
    assert.throws(() => parseHolidayFile('Sr. No,Date\n', 'empty.csv'), { message: 'empty.csv: no holiday dates found' });
    assert.throws(() => parseHolidayFile('', 'blank.csv'), { message: 'blank.csv: no holiday dates found' });
    for (const text of ['x\n', '[]', '{"a":1}']) {
      assert.throws(() => parseHolidayFile(text, 'f.json'), (error: Error) => !error.message.includes('\n') && error.message.startsWith('f.json'));
    }
  });

  it('counts lines as the file has them: blank lines, CRLF and a quoted cell over two lines', () => {
    const csv = 'Date,Description\r\n\r\n26-01-2026,"Republic Day,\r\nobserved"\r\n03-03-2026,Holi\r\n31-02-2026,Typo\r\n';
    assert.throws(() => parseHolidayFile(csv, 'h.csv'), { message: /^h\.csv line 6: "31-02-2026" is not a date/ });
    assert.throws(() => parseHolidayFile('Date,Description\n26-01-2026,"Republic\nDay"\nsoon,"a\nb"\n', 'h.csv'), { message: /^h\.csv line 4: "soon"/ });
  });

  it('a CSV that cannot be read is one line naming the file and the line', () => {
    assert.throws(() => parseHolidayFile('Date,Description\n26-01-2026,"Republic Day\n', 'open-quote.csv'), (error: Error) =>
      /^open-quote\.csv: not a readable CSV file \(.*line 2.*\)$/.test(error.message) && !error.message.includes('\n'));
  });
});

describe('holiday files too large to be a holiday list', () => {
  it('are refused before parsing: more than 128 KB, or more than 2,000 lines; a list at the caps reads', () => {
    const row = (i: number) => `${i},26-Jan-${2000 + (i % 100)},Monday,Republic Day`;
    const lines = (n: number) => ['Sr. No,Date,Day,Description', ...Array.from({ length: n - 1 }, (_, i) => row(i))].join('\n');
    assert.throws(() => parseHolidayFile('x'.repeat(HOLIDAY_FILE_MAX_CHARS + 1), 'big.csv'), /^Error: big\.csv is 129 KB; a holiday list is a few KB \(at most 128 KB\)$/);
    assert.throws(() => parseHolidayFile(lines(HOLIDAY_FILE_MAX_LINES + 1), 'long.csv'), /^Error: long\.csv has 2,001 lines; a holiday list has a few dozen a year \(at most 2,000\)$/);
    assert.equal(parseHolidayFile(lines(HOLIDAY_FILE_MAX_LINES), 'ok.csv').length, 100);
  });
});
