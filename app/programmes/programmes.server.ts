import { type Kysely, type Transaction, sql } from "kysely";
import type { Database, Programme } from "../../db/schema";
import { changedFields, recordAuditEvent } from "~/audit/audit-log.server";
import { noNul } from "~/lib/form";
import { slugFromTitle } from "~/lib/slug";

type Executor = Kysely<Database> | Transaction<Database>;

export interface ProgrammeNode extends Programme {
  depth: number;
  meetingCount: number;
}

/** Programmes as choices of a select, indented by depth so the tree shows. */
export function programmeOptions(tree: (Programme & { depth: number })[]): { value: string; label: string }[] {
  return tree.map((p) => ({ value: p.slug, label: `${"\u2003".repeat(p.depth)}${p.title}` }));
}

/** The rows in tree order (parents before children, keeping the rows' order among siblings), with their depth. */
function inTreeOrder<T extends Programme>(rows: T[]): (T & { depth: number })[] {
  const children = new Map<number | null, T[]>();
  for (const row of rows) children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
  const ordered: (T & { depth: number })[] = [];
  const visit = (parent: number | null, depth: number) => {
    for (const row of children.get(parent) ?? []) {
      ordered.push({ ...row, depth });
      visit(row.id, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}

function programmesInOrder(db: Executor) {
  return db.selectFrom("programmes").selectAll("programmes").orderBy("position").orderBy("title");
}

/** Every programme in tree order (parents before children, siblings by position then title), with its depth and number of meetings. */
export async function programmeTree(db: Executor): Promise<ProgrammeNode[]> {
  const rows = await programmesInOrder(db)
    .select((eb) =>
      eb
        .selectFrom("meetings")
        .select(eb.fn.countAll<string>().as("n"))
        .whereRef("meetings.programme_id", "=", "programmes.id")
        .as("meeting_count"),
    )
    .execute();
  return inTreeOrder(rows).map(({ meeting_count, ...node }) => ({ ...node, meetingCount: Number(meeting_count ?? 0) }));
}

/** The programmes as choices of a filter, in tree order: without counting their meetings, which grow with the years. */
export async function programmeChoices(db: Executor): Promise<{ value: string; label: string }[]> {
  return programmeOptions(inTreeOrder(await programmesInOrder(db).execute()));
}

export async function findProgramme(db: Executor, slug: string): Promise<Programme | undefined> {
  // PostgreSQL refuses a NUL in text; no slug holds one.
  if (!noNul(slug)) return undefined;
  return db.selectFrom("programmes").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** The programme's id and those of all programmes under it. */
export async function programmeAndDescendantIds(db: Executor, programmeId: number): Promise<number[]> {
  const result = await sql<{ id: number }>`
    with recursive tree(id) as (
      select ${programmeId}::int
      union
      select p.id from programmes p join tree on p.parent_id = tree.id
    )
    select id from tree`.execute(db);
  return result.rows.map((row) => row.id);
}

/** The path from the root down to this programme, for breadcrumbs. */
export async function programmeAncestry(db: Executor, programmeId: number): Promise<Pick<Programme, "slug" | "title">[]> {
  const result = await sql<{ slug: string; title: string; depth: number }>`
    with recursive chain(id, parent_id, slug, title, depth) as (
      select id, parent_id, slug, title, 0 from programmes where id = ${programmeId}
      union all
      select p.id, p.parent_id, p.slug, p.title, chain.depth + 1 from programmes p join chain on p.id = chain.parent_id
    )
    select slug, title, depth from chain order by depth desc`.execute(db);
  return result.rows.map(({ slug, title }) => ({ slug, title }));
}

export interface ProgrammeInput {
  title: string;
  summary: string | null;
  parent: string | null;
  position: number;
}

export type ProgrammeResult = { ok: true; slug: string } | { ok: false; field: keyof ProgrammeInput; message: string };

async function resolveParent(db: Executor, parentSlug: string | null, selfId?: number) {
  if (!parentSlug) return { ok: true as const, parentId: null };
  const parent = await findProgramme(db, parentSlug);
  if (!parent) return { ok: false as const, message: "No such programme" };
  if (selfId !== undefined && (await programmeAndDescendantIds(db, selfId)).includes(parent.id)) {
    return { ok: false as const, message: "A programme cannot sit under itself or one of its own sub-programmes" };
  }
  return { ok: true as const, parentId: parent.id };
}

export async function createProgramme(db: Kysely<Database>, input: ProgrammeInput, actor: number | null): Promise<ProgrammeResult> {
  const parent = await resolveParent(db, input.parent);
  if (!parent.ok) return { ok: false, field: "parent", message: parent.message };
  const base = slugFromTitle(input.title, 60);
  const columns = { title: input.title, summary: input.summary, parent_id: parent.parentId, position: input.position };
  return db.transaction().execute(async (trx) => {
    for (let attempt = 1; ; attempt++) {
      const slug = attempt === 1 ? base : `${base}-${attempt}`;
      const row = await trx.insertInto("programmes").values({ slug, ...columns }).onConflict((oc) => oc.column("slug").doNothing()).returning(["id", "slug"]).executeTakeFirst();
      if (!row) continue;
      await recordAuditEvent(trx, { actor, meetingId: null, action: "programme.created", subject: { type: "programme", id: row.id }, summary: `Created programme “${input.title}” (${row.slug})`, after: columns });
      return { ok: true, slug: row.slug };
    }
  });
}

export async function updateProgramme(
  db: Kysely<Database>,
  programme: Programme,
  input: ProgrammeInput,
  actor: number | null,
): Promise<ProgrammeResult> {
  const parent = await resolveParent(db, input.parent, programme.id);
  if (!parent.ok) return { ok: false, field: "parent", message: parent.message };
  const columns = { title: input.title, summary: input.summary, parent_id: parent.parentId, position: input.position };
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("programmes").set({ ...columns, updated_at: new Date() }).where("id", "=", programme.id).execute();
    const changed = changedFields(programme, columns);
    if (changed.names.length === 0) return;
    await recordAuditEvent(trx, { actor, meetingId: null, action: "programme.updated", subject: { type: "programme", id: programme.id }, summary: `Edited programme “${input.title}”: ${changed.names.join(", ")}`, ...changed });
  });
  return { ok: true, slug: programme.slug };
}

/** Deletes a programme with no sub-programmes; its meetings keep existing, without a programme. */
export async function deleteProgramme(db: Kysely<Database>, programme: Programme, actor: number | null): Promise<{ ok: boolean; message?: string }> {
  const child = await db.selectFrom("programmes").select("id").where("parent_id", "=", programme.id).executeTakeFirst();
  if (child) return { ok: false, message: "Move or delete its sub-programmes first." };
  await db.transaction().execute(async (trx) => {
    const { id, slug, title, summary, parent_id, position } = programme;
    await recordAuditEvent(trx, { actor, meetingId: null, action: "programme.deleted", subject: { type: "programme", id }, summary: `Deleted programme “${title}”`, before: { slug, title, summary, parent_id, position } });
    // Its meetings change (they leave the programme and its parents' lists and feeds): their updated_at says so to the feeds' versions.
    await trx.updateTable("meetings").set({ programme_id: null, updated_at: new Date() }).where("programme_id", "=", programme.id).execute();
    await trx.deleteFrom("programmes").where("id", "=", programme.id).execute();
  });
  return { ok: true };
}
