import { describe, expect, it } from 'vitest';
import { parseContactFile } from './contactFile';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseContactFile (B2)', () => {
  it('keeps the number, first and last name of each vCard entry, and skips what has no international number', () => {
    const file = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'N:Liddell;Alice;;;',
      'FN:Alice Liddell',
      'EMAIL:alice@example.org',
      'TEL;TYPE=CELL:+44 20 7946',
      ' 0958',
      'END:VCARD',
      'BEGIN:VCARD',
      'FN:Only Local',
      'TEL:020 7946 0000',
      'END:VCARD',
      'BEGIN:VCARD',
      'FN:Bob',
      'item1.TEL:tel:+33142685300',
      'END:VCARD',
    ].join('\r\n');
    expect(parseContactFile(bytes(file), 'friends.vcf')).toEqual({
      contacts: [
        { number: '+442079460958', firstName: 'Alice', lastName: 'Liddell' },
        { number: '+33142685300', firstName: 'Bob', lastName: '' },
      ],
      skipped: 1,
    });
  });

  it('reads CSV with a header row, quoted fields and any phone column', () => {
    const file = 'First Name,Last Name,E-mail,Mobile Phone\n"Carol","O\'Neil, Jr.",c@example.org,+49 30 901820\n,,,\n';
    expect(parseContactFile(bytes(file), 'export.csv')).toEqual({ contacts: [{ number: '+4930901820', firstName: 'Carol', lastName: "O'Neil, Jr." }], skipped: 0 });
  });

  it('refuses malformed and hostile files with the line at fault, keeping nothing', () => {
    const cases: Array<[Uint8Array, string, RegExp]> = [
      [Uint8Array.of(0xff, 0xfe, 0x00, 0x41), 'a.vcf', /not UTF-8/],
      [bytes('BEGIN:VCARD\nFN:x\u0000\nEND:VCARD'), 'a.vcf', /binary/],
      [bytes('BEGIN:VCARD\nFN:A\nTEL:+442079460958\n'), 'a.vcf', /line 1: the last vCard has no END/],
      [bytes('BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nEND:VCARD'), 'a.vcf', /line 3: a vCard begins/],
      [bytes('BEGIN:VCARD\nthis is no vcard line\nEND:VCARD'), 'a.vcf', /line 2: this is not a vCard line/],
      [bytes(`BEGIN:VCARD\nFN:${'x'.repeat(300)}\nEND:VCARD`), 'a.vcf', /line 2: a field is longer/],
      [bytes('Name,Phone\nA,+442079460958,extra,fields\n'), 'a.csv', /line 2: this row has 4 fields/],
      [bytes('Name,Email\nA,a@example.org\n'), 'a.csv', /names no phone column/],
      [bytes('Name,Phone\n"unterminated,+44\n'), 'a.csv', /malformed/],
      [bytes('Name,Phone\n'.concat('A,+1\n'.repeat(60_000))), 'a.csv', /more than 50,000 lines/],
      [new Uint8Array(3 * 1024 * 1024).fill(65), 'a.csv', /larger than 2 MB/],
      [bytes(''), 'a.vcf', /no vCard entry/],
    ];
    for (const [file, name, message] of cases) expect(() => parseContactFile(file, name), String(message)).toThrow(message);
    const many = Array.from({ length: 5_001 }, (_, index) => `A,+44207946${String(index).padStart(4, '0')}`).join('\n');
    expect(() => parseContactFile(bytes(`Name,Phone\n${many}`), 'a.csv')).toThrow(/more than 5,000 contacts/);
  });
});
