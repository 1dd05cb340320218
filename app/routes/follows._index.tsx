import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { database } from "~/database.server";
import { requestFollow } from "~/calendar/follows.server";
import { emailAddress, fieldErrors, formValues, plainForm } from "~/lib/form";
import { findProgramme, programmeOptions, programmeTree } from "~/programmes/programmes.server";
import { EmailSent } from "~/ui/email-sent";
import { ErrorPage } from "~/ui/error-page";
import { ErrorSummary, SelectField, TextField } from "~/ui/fields";

const followForm = z.object({
  email: emailAddress(),
  programme: z.string().max(100, "Choose a programme from the list").optional(),
});

const pageQuery = z.object({
  programme: z.string().max(100).optional(),
  done: z.enum(["unsubscribed"]).optional(),
});

const UNKNOWN_PROGRAMME = "Choose a programme from the list";

export async function loader({ request }: LoaderFunctionArgs) {
  const query = pageQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) throw new Response("Unknown parameters: use ?programme=slug.", { status: 400 });
  const programmes = await programmeTree(database());
  const chosen = query.data.programme ?? "";
  if (chosen && !programmes.some((p) => p.slug === chosen)) throw new Response("There is no such programme.", { status: 404 });
  return json({
    programme: chosen,
    unsubscribed: query.data.done === "unsubscribed",
    programmes: programmeOptions(programmes),
  });
}

/** The same answer whether or not the address already followed: the email tells the person, not this page. */
export async function action({ request }: ActionFunctionArgs) {
  const formData = await plainForm(request);
  const values = formValues(formData);
  const noErrors: Record<string, string> = {};
  const parsed = followForm.safeParse(values);
  if (!parsed.success) return json({ sentTo: null, errors: fieldErrors(parsed.error), values }, { status: 400 });
  const db = database();
  const programme = parsed.data.programme ? await findProgramme(db, parsed.data.programme) : null;
  if (programme === undefined) return json({ sentTo: null, errors: { programme: UNKNOWN_PROGRAMME }, values }, { status: 400 });
  await requestFollow(db, parsed.data.email, programme);
  return json({ sentTo: parsed.data.email, errors: noErrors, values });
}

export const meta: MetaFunction = () => [{ title: "Follow meetings by email" }];

export default function FollowMeetings() {
  const { programme, unsubscribed, programmes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";
  if (result?.sentTo) {
    return (
      <EmailSent what="a message" to={result.sentTo}>
        Open the link in it to confirm: until then, we send you nothing about meetings.
      </EmailSent>
    );
  }
  const values: Record<string, string> = result?.values ?? { programme };
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <section className="prose">
      <h1>Follow meetings by email</h1>
      {unsubscribed && (
        <p className="notice ok" role="status">
          You are unsubscribed: we will not email you about these meetings any more.
        </p>
      )}
      <p>Get an email when a meeting is announced, rescheduled or cancelled: in one programme (with its sub-programmes), or in all.</p>
      <ErrorSummary errors={errors} />
      <Form method="post" className="stacked" noValidate key={JSON.stringify(values)}>
        <SelectField
          name="programme"
          label="Meetings of"
          placeholder="All programmes"
          options={programmes}
          defaultValue={values.programme}
          error={errors.programme}
        />
        <TextField
          name="email"
          label="Email address"
          type="email"
          autoComplete="email"
          required
          defaultValue={values.email}
          error={errors.email}
        />
        <button type="submit" className="button" disabled={submitting}>
          {submitting ? "Sending…" : "Follow"}
        </button>
      </Form>
    </section>
  );
}

export function ErrorBoundary() {
  return <ErrorPage />;
}
