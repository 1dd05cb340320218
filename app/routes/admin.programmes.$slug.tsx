import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { requireAdministrator } from "~/accounts/session.server";
import { countFollowers } from "~/calendar/follows.server";
import { formValues, plainForm } from "~/lib/form";
import { parseProgrammeForm } from "~/programmes/programme-form.server";
import { deleteProgramme, findProgramme, programmeOptions, programmeTree, updateProgramme } from "~/programmes/programmes.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, SelectField, TextField } from "~/ui/fields";

const intentSchema = z.enum(["save", "delete"], { error: "Unknown action" });

async function existingProgramme(slug: string | undefined) {
  const programme = await findProgramme(database(), slug ?? "");
  if (!programme) throw new Response("There is no such programme.", { status: 404 });
  return programme;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdministrator(request);
  const programme = await existingProgramme(params.slug);
  const [tree, followers] = await Promise.all([programmeTree(database()), countFollowers(database(), programme.id)]);
  const parentSlug = tree.find((p) => p.id === programme.parent_id)?.slug ?? "";
  return json({
    programme: { slug: programme.slug, title: programme.title },
    followers,
    values: { title: programme.title, summary: programme.summary ?? "", parent: parentSlug, position: String(programme.position) },
    parents: programmeOptions(tree.filter((p) => p.id !== programme.id)),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireAdministrator(request);
  const programme = await existingProgramme(params.slug);
  const formData = await plainForm(request);
  const intent = intentSchema.safeParse(formData.get("intent") ?? "save");
  if (!intent.success) throw new Response("Unknown action.", { status: 400 });
  const db = database();
  if (intent.data === "delete") {
    const deleted = await deleteProgramme(db, programme, user.id);
    if (!deleted.ok) return json({ errors: { form: deleted.message ?? "" }, values: formValues(formData) }, { status: 409 });
    return redirect("/admin/programmes");
  }
  const parsed = parseProgrammeForm(formData);
  if (!parsed.ok) return json({ errors: parsed.errors, values: parsed.values }, { status: 400 });
  const updated = await updateProgramme(db, programme, parsed.input, user.id);
  if (!updated.ok) return json({ errors: { [updated.field]: updated.message }, values: formValues(formData) }, { status: 400 });
  return redirect(`/admin/programmes/${programme.slug}?saved=saved`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Programme: ${data.programme.title}` : "Programme" }];

export default function EditProgramme() {
  const { programme, followers, values: saved, parents } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const values: Record<string, string> = refused?.values ?? saved;
  const errors: Record<string, string> = refused?.errors ?? {};
  return (
    <>
      <p>
        <Link to="/admin/programmes">← Programmes</Link>
      </p>
      <h1>{programme.title}</h1>
      <p>
        <Link to={`/programmes/${programme.slug}`}>Public page</Link>
      </p>
      <p>
        {followers === 1 ? "1 person follows" : `${followers} people follow`} this programme by email (confirmed); they also hear
        about the meetings of its sub-programmes.
      </p>
      {searchParams.get("saved") && !refused && (
        <p className="notice ok" role="status">
          Saved.
        </p>
      )}
      <ErrorSummary errors={errors} />
      <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
        <TextField name="title" label="Title" required defaultValue={values.title} error={errors.title} />
        <TextField name="summary" label="Summary" defaultValue={values.summary} error={errors.summary} />
        <SelectField name="parent" label="Under" placeholder="Nothing: a top-level programme" options={parents} defaultValue={values.parent} error={errors.parent} />
        <TextField name="position" label="Order among its siblings" inputMode="numeric" defaultValue={values.position} error={errors.position} />
        <div className="actions">
          <button type="submit" name="intent" value="save" className="button">
            Save
          </button>
          <button type="submit" name="intent" value="delete" className="button danger">
            Delete programme
          </button>
        </div>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
