// Runs an SQL file in an in-memory DuckDB through the node API
// (@duckdb/node-api), for scripts/bench, which sets NODE_PATH to the
// node_modules that holds it:
//
//	NODE_PATH=/tmp/duck/node_modules node scripts/bench-duckdb.js FILE.sql [--print]
//
// Statements are separated by ";" at the end of a line. With --print the
// rows of every statement are written to standard output, tab-separated
// (to compare the counts with sqlite3's); without, they are read and
// dropped.
'use strict';
const fs = require('fs');
const { DuckDBInstance } = require('@duckdb/node-api');

async function main() {
  const [file, flag] = process.argv.slice(2);
  const print = flag === '--print';
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const stmts = fs.readFileSync(file, 'utf8').split(/;\s*\n/).map((s) => s.trim()).filter(Boolean);
  for (const sql of stmts) {
    const reader = await conn.runAndReadAll(sql);
    const rows = reader.getRows();
    if (print && !/^(create|insert)/i.test(sql)) {
      for (const r of rows) process.stdout.write(r.map((v) => (v === null ? '' : String(v))).join('\t') + '\n');
    }
  }
}

main().catch((err) => {
  process.stderr.write(`bench-duckdb: ${err.message}\n`);
  process.exit(2);
});
