import Papa from 'papaparse';
import { e164Of } from '../../../src-shared/domain/phoneNumber';

/** What is kept of one imported entry (B2): the number (E.164), first and last name; nothing else. */
export type ImportedContact = { number: string; firstName: string; lastName: string };

export type ContactFileSummary = { contacts: ImportedContact[]; skipped: number };

/** The bounds a file is held to before anything of it is kept. */
export const CONTACT_FILE_LIMITS = { bytes: 2 * 1024 * 1024, lines: 50_000, contacts: 5_000, field: 256 } as const;

export class ContactFileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'ContactFileError';
  }
}

/**
 * Reads a contacts file the user picked (B2): vCard (.vcf) or CSV with a header row. All or
 * nothing: a file that is not UTF-8 text, too large, or malformed is refused with the line at
 * fault, and nothing of it is kept. Entries without a number in international form (+…) cannot
 * be matched and are counted as skipped; the same number twice is kept once.
 */
export function parseContactFile(bytes: Uint8Array, fileName: string): ContactFileSummary {
  if (bytes.length > CONTACT_FILE_LIMITS.bytes) throw new ContactFileError(`the file is larger than ${CONTACT_FILE_LIMITS.bytes / (1024 * 1024)} MB`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ContactFileError('the file is not UTF-8 text (save it as UTF-8, or export it again as vCard or CSV)');
  }
  if (text.includes('\u0000')) throw new ContactFileError('the file is binary, not a vCard or CSV file');
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > CONTACT_FILE_LIMITS.lines) throw new ContactFileError(`the file has more than ${CONTACT_FILE_LIMITS.lines.toLocaleString('en')} lines`);
  const isVcard = /\.vcf$/i.test(fileName) || /^\s*BEGIN:VCARD/i.test(text);
  const entries = isVcard ? vcardEntries(lines) : csvEntries(text);
  const byNumber = new Map<string, ImportedContact>();
  let skipped = 0;
  for (const entry of entries) {
    const number = entry.numbers.map((typed) => e164Of(typed)).find((found): found is string => found !== null);
    if (number === undefined) skipped += 1;
    else if (!byNumber.has(number)) byNumber.set(number, { number, firstName: entry.firstName, lastName: entry.lastName });
  }
  if (byNumber.size > CONTACT_FILE_LIMITS.contacts) throw new ContactFileError(`the file has more than ${CONTACT_FILE_LIMITS.contacts.toLocaleString('en')} contacts`);
  if (entries.length === 0) throw new ContactFileError(isVcard ? 'the file holds no vCard entry' : 'the file holds no contact');
  return { contacts: [...byNumber.values()], skipped };
}

type Entry = { numbers: string[]; firstName: string; lastName: string };

const field = (value: string, line: number) => {
  const trimmed = value.trim();
  if (trimmed.length > CONTACT_FILE_LIMITS.field) throw new ContactFileError(`a field is longer than ${CONTACT_FILE_LIMITS.field} characters`, line);
  return trimmed;
};

/** vCard 2.1–4.0: folded lines unfolded; N (family;given), FN as a fallback, TEL. */
function vcardEntries(lines: string[]): Entry[] {
  const entries: Entry[] = [];
  let current: (Entry & { fullName: string; startedAt: number }) | null = null;
  for (let index = 0; index < lines.length; index += 1) {
    let line = lines[index]!;
    const lineNumber = index + 1;
    // Folded lines (RFC 6350 §3.2) continue with a space or a tab.
    while (index + 1 < lines.length && /^[ \t]/.test(lines[index + 1]!)) {
      line += lines[index + 1]!.slice(1);
      index += 1;
    }
    if (line.trim() === '') continue;
    if (line.length > CONTACT_FILE_LIMITS.field * 8) throw new ContactFileError('a line is too long to be a contact', lineNumber);
    const colon = line.indexOf(':');
    if (colon < 0) throw new ContactFileError('this is not a vCard line (NAME:value)', lineNumber);
    const name = line.slice(0, colon).split(';')[0]!.split('.').at(-1)!.toUpperCase();
    const value = line.slice(colon + 1);
    if (name === 'BEGIN' && value.trim().toUpperCase() === 'VCARD') {
      if (current) throw new ContactFileError('a vCard begins before the one before it ended', lineNumber);
      current = { numbers: [], firstName: '', lastName: '', fullName: '', startedAt: lineNumber };
      continue;
    }
    if (!current) throw new ContactFileError('a line outside BEGIN:VCARD … END:VCARD', lineNumber);
    if (name === 'END') {
      const { fullName, startedAt: _startedAt, ...entry } = current;
      if (!entry.firstName && !entry.lastName && fullName) entry.firstName = fullName;
      entries.push(entry);
      current = null;
    } else if (name === 'N') {
      const [family = '', given = ''] = value.split(';');
      current.lastName = field(unescape(family), lineNumber);
      current.firstName = field(unescape(given), lineNumber);
    } else if (name === 'FN') current.fullName = field(unescape(value), lineNumber);
    else if (name === 'TEL') current.numbers.push(field(value.replace(/^tel:/i, ''), lineNumber));
  }
  if (current) throw new ContactFileError('the last vCard has no END:VCARD', current.startedAt);
  return entries;
}

const unescape = (value: string) => value.replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ');

const FIRST = /^(first ?name|given ?name|first|vorname|prénom)$/i;
const LAST = /^(last ?name|family ?name|surname|last|nachname|nom)$/i;
const NAME = /^(name|full ?name|display ?name)$/i;
const NUMBER = /(phone|mobile|tel|number|cell|handy|téléphone)/i;

/** CSV with a header row (Google, Outlook and most address books export one), by papaparse. */
function csvEntries(text: string): Entry[] {
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy' });
  const problem = parsed.errors[0];
  if (problem) throw new ContactFileError(`the CSV is malformed (${problem.message.toLowerCase()})`, (problem.row ?? 0) + 1);
  const [header, ...rows] = parsed.data;
  if (!header) return [];
  const columns = header.map((name) => name.trim());
  const first = columns.findIndex((name) => FIRST.test(name));
  const last = columns.findIndex((name) => LAST.test(name));
  const full = columns.findIndex((name) => NAME.test(name));
  const numbers = columns.flatMap((name, index) => (NUMBER.test(name) ? [index] : []));
  if (numbers.length === 0) throw new ContactFileError('the header row names no phone column (Phone, Mobile, Number …)', 1);
  return rows.map((row, index) => {
    const line = index + 2;
    if (row.length > columns.length) throw new ContactFileError(`this row has ${row.length} fields, the header ${columns.length}`, line);
    const at = (column: number) => (column >= 0 ? field(row[column] ?? '', line) : '');
    const firstName = at(first) || (first < 0 && last < 0 ? at(full) : '');
    return { numbers: numbers.map((column) => at(column)).filter(Boolean), firstName, lastName: at(last) };
  });
}
