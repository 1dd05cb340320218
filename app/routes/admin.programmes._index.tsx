import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { database } from "~/database.server";
import { requireAdministrator } from "~/accounts/session.server";
import { countFollowers } from "~/calendar/follows.server";
import { plainForm } from "~/lib/form";
import { parseProgrammeForm } from "~/programmes/programme-form.server";
import { createProgramme, programmeOptions, programmeTree } from "~/programmes/programmes.server";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, SelectField, TextField } from "~/ui/fields";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdministrator(request);
  const [programmes, allMeetingsFollowers] = await Promise.all([programmeTree(database()), countFollowers(database(), null)]);
  return json({
    allMeetingsFollowers,
    programmes: programmes.map(({ slug, title, depth, meetingCount }) => ({ slug, title, depth, meetingCount })),
    parentOptions: programmeOptions(programmes),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdministrator(request);
  const parsed = parseProgrammeForm(await plainForm(request));
  if (!parsed.ok) return json(parsed, { status: 400 });
  const created = await createProgramme(database(), parsed.input, user.id);
  if (!created.ok) {
    return json({ ok: false as const, errors: { [created.field]: created.message }, values: {} }, { status: 400 });
  }
  return redirect(`/admin/programmes/${created.slug}?saved=created`);
}

export const meta: MetaFunction = () => [{ title: "Programmes" }];

export default function AdminProgrammes() {
  const { programmes, parentOptions, allMeetingsFollowers } = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const values: Record<string, string> = refused?.values ?? {};
  const errors: Record<string, string> = refused?.errors ?? {};
  return (
    <>
      <p>
        <Link to="/admin">← Organisers</Link>
      </p>
      <h1>Programmes</h1>
      <p className="muted">Initiatives, working groups and topics, arranged as a tree. Meetings belong to one.</p>
      <p>
        {allMeetingsFollowers === 1 ? "1 person follows" : `${allMeetingsFollowers} people follow`} all meetings by email
        (confirmed).
      </p>
      <ul className="tree">
        {programmes.map((programme) => (
          <li key={programme.slug} style={{ marginLeft: `${programme.depth * 1.5}rem` }}>
            <Link to={`/admin/programmes/${programme.slug}`}>{programme.title}</Link>{" "}
            <span className="muted">
              ({programme.meetingCount} meeting{programme.meetingCount === 1 ? "" : "s"})
            </span>
          </li>
        ))}
      </ul>
      <h2>Add a programme</h2>
      <ErrorSummary errors={errors} />
      <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
        <TextField name="title" label="Title" required defaultValue={values.title} error={errors.title} />
        <TextField name="summary" label="Summary" defaultValue={values.summary} error={errors.summary} />
        <SelectField
          name="parent"
          label="Under"
          placeholder="Nothing: a top-level programme"
          options={parentOptions}
          defaultValue={values.parent}
          error={errors.parent}
        />
        <TextField name="position" label="Order among its siblings" inputMode="numeric" hint="Lower comes first." defaultValue={values.position} error={errors.position} />
        <button type="submit" className="button">
          Add programme
        </button>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
