import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';

rmSync('/tmp/rotest', { recursive: true, force: true });
mkdirSync('/tmp/rotest');
const db = new Database('/tmp/rotest/runs.db');
db.pragma('journal_mode = WAL');
db.exec('create table t(a)');
db.exec('insert into t values (1)');
db.close();
chmodSync('/tmp/rotest', 0o555);
for (const [name, open] of [
  ['readonly', () => new Database('/tmp/rotest/runs.db', { readonly: true })],
  ['immutable uri', () => new Database('file:/tmp/rotest/runs.db?immutable=1', { readonly: true })],
]) {
  try {
    const d = open();
    console.log(name, d.prepare('select * from t').all());
    d.close();
  } catch (e) {
    console.log(name, 'ERR', e.code, e.message);
  }
}
