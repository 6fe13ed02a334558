// The fast reader's XML handling, on the forms OOXML writers actually produce.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sheetWorkbook } from './hostile-workbooks';
import type { SheetGrid } from './table';
import { columnIndex, decodeXml, scanSheet, XlsxReader } from './xlsx-fast';

describe('xlsx-fast', () => {
  it('decodes XML entities and OOXML _xHHHH_ escapes', () => {
    assert.equal(decodeXml('M&amp;M &lt;EQ&gt; &#39;x&#x27; &quot;'), 'M&M <EQ> \'x\' "');
    assert.equal(decodeXml('Line_x000D_break'), 'Line\rbreak');
  });

  it('turns cell references into column indexes', () => {
    assert.deepEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'XFD'].map(columnIndex), [0, 25, 26, 51, 52, 16383]);
    assert.equal(columnIndex(undefined), -1);
  });

  it('reads every cell type, sparse rows and columns, and cells without references', () => {
    const strings = ['Symbol', 'LTP', 'TCS'];
    const xml = `<worksheet><sheetData>
      <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>
      <row r="3" spans="1:6"><c r="A3" t="s" s="2"><v>2</v></c><c r="B3"><v>4202.5</v></c><c r="C3" t="e"><v>#N/A</v></c>
        <c r="D3" t="b"><v>1</v></c><c r="E3" t="str"><f>A3&amp;"!"</f><v>TCS!</v></c><c r="F3" t="inlineStr"><is><r><t>in</t></r><r><t xml:space="preserve">line </t></r></is></c></row>
      <row r="4"/>
      <row><c><v>1</v></c><c s="3"/><c><v>3</v></c></row>
      <row r="7"><c r="AA7" t="d"><v>2026-11-20T10:15:00Z</v></c><c r="AB7"><f>1/0</f></c></row>
      <row r='8'><c r='A8' t='s'><v>2</v></c><c r='B8' t='str'><v>x</v></c></row>
    </sheetData></worksheet>`;
    const rows = scanSheet(xml, strings);
    assert.deepEqual(rows[1], ['Symbol', 'LTP']);
    assert.equal(rows[2], undefined);
    assert.deepEqual(Array.from(rows[3]!), ['TCS', 4202.5, undefined, undefined, 'TCS!', 'inline ']);
    assert.equal(rows[4], undefined, 'an empty row has no cells');
    assert.deepEqual(Array.from(rows[5]!), [1, undefined, 3]);
    assert.deepEqual(rows[7]![26], new Date('2026-11-20T10:15:00Z'));
    assert.equal(rows[7]![27], undefined, 'a formula never calculated has no value');
    assert.deepEqual(Array.from(rows[8]!), ['TCS', 'x'], 'single-quoted attributes, as XML allows');
  });

  it('reads numbers exactly as Number() does, plain decimals and every other form', () => {
    const forms = ['0', '-0', '7', '007', '1.', '.5', '-0.75', '4096.2', '0.1', '3.14159265358979', '123456789012345',
      '1234567890123456', '12345678901234567890', '1E-3', '2.5e+2', '-1.5E3', '+4', ' 8', '1.2.3', '', '.', '-', 'NaN', 'Infinity'];
    // And random plain decimals: up to 15 digits split anywhere, either sign.
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let n = 0; n < 3000; n++) {
      const digits = Array.from({ length: 1 + Math.floor(random() * 15) }, () => Math.floor(random() * 10)).join('');
      const point = Math.floor(random() * (digits.length + 1));
      forms.push(`${random() < 0.3 ? '-' : ''}${digits.slice(0, point)}${point < digits.length || random() < 0.5 ? '.' : ''}${digits.slice(point)}`);
    }
    const xml = `<sheetData>${forms.map((f, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${f}</v></c><c r="B${i + 1}"><f>A1</f><v>${f}</v></c></row>`).join('')}</sheetData>`;
    const rows = scanSheet(xml, []);
    forms.forEach((form, i) => {
      const expected = form === '' || !Number.isFinite(Number(form)) ? undefined : Number(form);
      assert.equal(rows[i + 1]![0], expected, `"${form}" straight`);
      assert.equal(rows[i + 1]![1], expected, `"${form}" after a formula`);
    });
  });

  it('reads text beyond ASCII from the bytes, and a sheet given as bytes or text alike', () => {
    const xml = `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>टाटा मोटर्स</t></is></c><c r="B1" t="str"><f>X</f><v>ÉCLAIR &amp; 株式</v></c>
      <c r="C1" t="s"><v>0</v></c><c r="D1"><v>12.5</v></c></row></sheetData>`;
    const expected = ['टाटा मोटर्स', 'ÉCLAIR & 株式', 'Ünïcode', 12.5];
    assert.deepEqual(Array.from(scanSheet(xml, ['Ünïcode'])[1]!), expected);
    assert.deepEqual(Array.from(scanSheet(new TextEncoder().encode(xml), ['Ünïcode'])[1]!), expected);
  });

  it('stops a row at a cell that is never closed instead of reading on for ever', { timeout: 5_000 }, () => {
    assert.deepEqual(Array.from(scanSheet('<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>X</f><v>2</v></row></sheetData>', [])[1]!), [1]);
    const xml = '<sheetData><row r="1"><c r="A1"><v>1</v></c><c r="B1"><f>SUM(A1)</f><v>2</row><row r="2"><c r="A2"><v>3</v></c></row></sheetData>';
    const rows = scanSheet(xml, []);
    assert.deepEqual(Array.from(rows[1]!), [1]);
    assert.deepEqual(Array.from(rows[2]!), [3]);
  });

  it('reads rows laid out with whitespace, or with other elements between cells', () => {
    const xml = `<sheetData>
      <row r="1">
        <c r="A1"><v>1</v></c>
        <x14:ext uri="{X}"><x14:y/></x14:ext>
        <c r="B1" t="s"><v>0</v></c>
      </row>
      <row r="2"><c r="A2"><v>2</v></c><cx/><c r="C2"><v>4</v></c></row>
    </sheetData>`;
    const rows = scanSheet(xml, ['TCS']);
    assert.deepEqual(Array.from(rows[1]!), [1, 'TCS']);
    assert.deepEqual(Array.from(rows[2]!), [2, undefined, 4]);
  });
});

describe('xlsx-fast readers', () => {
  /** A feed's workbook: its symbols as shared strings, prices as numbers. */
  const workbook = (symbols: string[], base: number) =>
    sheetWorkbook(
      `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
        symbols.map((_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>${i + 2}</v></c><c r="B${i + 2}"><v>${base + i / 4}</v></c></row>`).join(''),
      ['Symbol', 'LTP', ...symbols],
    );
  const feeds = {
    a: { live: workbook(['TCS', 'INFY'], 100), historical: workbook(['TCS', 'INFY', 'ITC'], 90) },
    b: { live: workbook(['RELIANCE', 'SBIN'], 200), historical: workbook(['RELIANCE', 'SBIN', 'HDFC'], 190) },
  };
  const scanned = (sheets: SheetGrid[]) => sheets.map((sheet) => ({ name: sheet.name, rows: sheet.rows.map((row) => row && [...row]) }));
  const cells = (reader: XlsxReader, bytes: Buffer) => scanned(reader.read(bytes, 'Live.xlsx'));
  /** Two cycles of one feed: Live and Historical, twice. */
  const cyclesOf = (feed: { live: Buffer; historical: Buffer }) => [feed.live, feed.historical, feed.live, feed.historical];

  it('used interleaved, two readers give what each gives alone, and each keeps its own feed\'s strings', () => {
    const alone = { a: new XlsxReader(), b: new XlsxReader() };
    const expected = { a: cyclesOf(feeds.a).map((bytes) => cells(alone.a, bytes)), b: cyclesOf(feeds.b).map((bytes) => cells(alone.b, bytes)) };
    assert.equal(alone.a.sharedStringsParsed, 2, 'alone, the second cycle finds both workbooks\' strings kept');
    assert.deepEqual(expected.a[0]!.find((s) => s.name === 'Live')!.rows[3], ['INFY', 100.25]);

    const a = new XlsxReader();
    const b = new XlsxReader();
    const got: { a: unknown[]; b: unknown[] } = { a: [], b: [] };
    cyclesOf(feeds.a).forEach((bytes, i) => {
      // Each read's sheets are scanned only after the other reader has read too.
      const sheetsA = a.read(bytes, 'Live.xlsx');
      const sheetsB = b.read(cyclesOf(feeds.b)[i]!, 'Live.xlsx');
      got.b.push(scanned(sheetsB));
      got.a.push(scanned(sheetsA));
    });
    assert.deepEqual(got, expected);
    // Four workbooks between them, two kept by each: neither pushes the other's out.
    assert.deepEqual([a.sharedStringsParsed, b.sharedStringsParsed], [2, 2]);
  });
});
