import { type EmailContent, emailButton, emailHtml, escapeHtml } from "./layout";

export function signInLinkEmail(input: { link: string; minutesValid: number }): EmailContent {
  const subject = "Your sign-in link";
  const html = emailHtml(
    subject,
    `<h1 style="font-size:20px">Sign in</h1>
<p>Use this link to sign in. It works once and expires in ${input.minutesValid} minutes.</p>
${emailButton(input.link, "Sign in")}
<p style="font-size:13px;color:#52606d">Or paste this address into your browser:<br>${escapeHtml(input.link)}</p>
<p style="font-size:13px;color:#52606d">If you did not ask to sign in, ignore this email: nothing happens without the link.</p>`,
  );
  const text = `Sign in

Use this link to sign in. It works once and expires in ${input.minutesValid} minutes.

${input.link}

If you did not ask to sign in, ignore this email: nothing happens without the link.
`;
  return { subject, html, text };
}
