import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * The preview before emailing an audience (a mailing, a circulation): what will go out, then a
 * "Send to N …" button that posts the same form again with `expectedCount`, so the server can show
 * the preview once more if the audience changed meanwhile. `nobody` says what to do when N is 0.
 */
export function SendPreview({
  className,
  notice,
  count,
  noun,
  hidden,
  nobody,
  children,
}: {
  className: string;
  notice: string | null;
  count: number;
  /** Singular and plural: ["registrant", "registrants"]. */
  noun: [string, string];
  /** The form's fields as hidden inputs. */
  hidden: ReactNode;
  nobody: string;
  children: ReactNode;
}) {
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="preview-title" className={className}>
      <h2 id="preview-title">Preview</h2>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      {children}
      {count > 0 ? (
        <Form method="post" className="actions">
          {hidden}
          <input type="hidden" name="expectedCount" value={count} />
          <button type="submit" name="intent" value="send" className="button" disabled={busy}>
            Send to {count} {count === 1 ? noun[0] : noun[1]}
          </button>
        </Form>
      ) : (
        <p className="notice">{nobody}</p>
      )}
    </section>
  );
}
