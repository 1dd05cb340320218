import { MEETING_LANGUAGES } from "./labels";

/**
 * The names of the documents forms' file inputs, shared by the form (browser) and its parser
 * (server): the new-document form has one file input per commission language and one for another
 * language named in `otherLanguage`; the add-a-file form has one, `file`, with its `language`.
 */
export const OTHER_LANGUAGE = "other";

export function fileField(language: string): string {
  return `file-${language}`;
}

/** The new-document form's file inputs, in the form's order. */
export const NEW_DOCUMENT_FILE_FIELDS = [...MEETING_LANGUAGES, OTHER_LANGUAGE].map(fileField);

/** What the file inputs accept (the browser's hint; the server decides by content). */
export const ACCEPTED_FILES = ".pdf,.docx,.xlsx,.pptx,.odt,.txt,.png,.jpg,.jpeg,application/pdf,text/plain,image/png,image/jpeg";
