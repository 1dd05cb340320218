import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sql } from "kysely";
import { freshDatabase } from "../support/database";

/**
 * Statements with parameters that run again and again are prepared once per connection (planned
 * once by PostgreSQL); the rest run unnamed. Seen from the connection itself, in pg_prepared_statements.
 */
const { db } = await freshDatabase();

describe("statements prepared once per connection", () => {
  it("names a statement with parameters from its third run, and answers it as before", async () => {
    await db.connection().execute(async (connection) => {
      const prepared = () => sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(connection);
      const marker = `prepared-${Date.now()}`;
      const run = () => sql<{ echo: string }>`select ${marker}::text as echo`.execute(connection);
      const isPrepared = async () => (await prepared()).rows.some((row) => row.statement.includes("as echo"));
      for (let i = 0; i < 2; i++) assert.equal((await run()).rows[0]?.echo, marker);
      assert.equal(await isPrepared(), false, "not after two runs");
      for (let i = 0; i < 3; i++) assert.equal((await run()).rows[0]?.echo, marker, "the same answer when prepared");
      assert.equal(await isPrepared(), true, "prepared from the third run");
    });
  });

  it("answers a prepared statement whose columns a migration changed meanwhile, with the new columns", async () => {
    await sql`create table prepared_probe (id int primary key, name text)`.execute(db);
    await sql`insert into prepared_probe values (1, 'one')`.execute(db);
    await db.connection().execute(async (connection) => {
      const read = () => sql<Record<string, unknown>>`select * from prepared_probe where id = ${1}`.execute(connection);
      for (let i = 0; i < 4; i++) assert.deepEqual((await read()).rows, [{ id: 1, name: "one" }]);
      await sql`alter table prepared_probe add column extra text default 'added'`.execute(db);
      assert.deepEqual((await read()).rows, [{ id: 1, name: "one", extra: "added" }], "run again unnamed");
      for (let i = 0; i < 4; i++) assert.deepEqual((await read()).rows, [{ id: 1, name: "one", extra: "added" }], "and prepared afresh");
      // A statement named after that one gets a name of its own on the same connection.
      for (let i = 0; i < 4; i++) assert.deepEqual((await sql<{ probe: number }>`select ${2}::int as probe`.execute(connection)).rows, [{ probe: 2 }]);
      assert.deepEqual((await read()).rows, [{ id: 1, name: "one", extra: "added" }]);
    });
  });

  it("leaves statements without parameters alone, so that several commands still run in one", async () => {
    await db.connection().execute(async (connection) => {
      for (let i = 0; i < 4; i++) await sql`select 1 as one; select 2 as two`.execute(connection);
      const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(connection);
      assert.ok(!rows.some((row) => row.statement.includes("as two")));
    });
  });
});
