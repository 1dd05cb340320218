import { Form } from "@remix-run/react";
import { TextField } from "~/ui/fields";

/**
 * "Follow by email" beside a list of meetings: the programme the list shows (with its
 * sub-programmes), or all meetings. Posts to /follows, which answers and shows any error.
 */
export function FollowByEmail({ programme }: { programme: { slug: string; title: string } | null }) {
  return (
    <details className="follow-form">
      <summary>{programme ? `Follow ${programme.title} by email` : "Follow all meetings by email"}</summary>
      <Form method="post" action="/follows?index">
        <p>
          Get an email when {programme ? "a meeting of this programme" : "a meeting"} is announced, rescheduled or cancelled. We
          first send you a link to confirm.
        </p>
        <input type="hidden" name="programme" value={programme?.slug ?? ""} />
        <TextField name="email" label="Email address" type="email" autoComplete="email" required />
        <button type="submit" className="button">
          Follow
        </button>
      </Form>
    </details>
  );
}
