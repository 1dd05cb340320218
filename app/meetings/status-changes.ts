/** What an organiser can do to a meeting's status. Not in a .server module: forms and the browser bundle need it too. */
export const STATUS_CHANGES = ["publish", "unpublish", "cancel"] as const;
export type StatusChange = (typeof STATUS_CHANGES)[number];
