/**
 * Reading the FEBRL benchmark files (comma + space separated; ground truth in rec_id: rec-<entity>-org /
 * rec-<entity>-dup-<k>) into match records, for tests and the benchmark. Reads a local file: not for the browser.
 */
import fs from 'node:fs';
import { type MatchRecord } from './record.ts';

export interface FebrlData {
  records: MatchRecord[];
  /** The entity of each record (the number in rec_id). */
  entity: string[];
}

/** Where the FEBRL files are, when this checkout has them. */
export const FEBRL_DIR = process.env.PASSAGE_FEBRL_DIR ?? new URL('../../../../../shared/data/febrl/', import.meta.url).pathname;

export function febrlAvailable(): boolean {
  return fs.existsSync(`${FEBRL_DIR}/dataset3.csv`);
}

export function readFebrl(file: string): FebrlData {
  const lines = fs.readFileSync(file.includes('/') ? file : `${FEBRL_DIR}/${file}`, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',').map((s) => s.trim());
  const col = (name: string) => header.indexOf(name);
  const [id, given, surname, dob, ssn] = ['rec_id', 'given_name', 'surname', 'date_of_birth', 'soc_sec_id'].map(col) as [number, number, number, number, number];
  const records: MatchRecord[] = [];
  const entity: string[] = [];
  for (const line of lines.slice(1)) {
    const v = line.split(',').map((s) => s.trim());
    records.push({ id: v[id]!, givenName: v[given] ?? '', familyName: v[surname] ?? '', dateOfBirth: v[dob] ?? '', documentNumber: v[ssn] ?? '' });
    entity.push(v[id]!.split('-')[1]!);
  }
  return { records, entity };
}
