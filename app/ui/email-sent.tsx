import type { ReactNode } from "react";

/** What a form that emails a link answers: what was sent, to which address, and what to do with it. */
export function EmailSent({ what, to, children }: { what: string; to: string; children: ReactNode }) {
  return (
    <section className="prose">
      <h1>Check your email</h1>
      <p role="status">
        We sent {what} to <strong>{to}</strong>. {children}
      </p>
    </section>
  );
}
