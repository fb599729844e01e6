// GraphQL errors in the reader's language: the API's stable codes (extensions.code, and
// extensions.reason for consent and capacity) pick the sentence; the field it names lets a
// form put the message next to that field.
import type { CombinedError } from "urql";
import type { MessageKey } from "./i18n/messages";

export interface Problem {
  key: MessageKey;
  vars?: Record<string, string | number>;
  field?: string;
  detail?: string;
  code?: string;
  extensions: Record<string, unknown>;
}

const REASONS = new Set([
  "NO_CAPACITY",
  "CONSENT_REQUIRED",
  "CONSENT_UNKNOWN",
  "CONSENT_REVOKED",
  "CONSENT_EXPIRED",
  "CONSENT_INSTITUTION",
  "CONSENT_SCOPE",
]);
const CODES = new Set(["UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "BAD_USER_INPUT", "UNAVAILABLE"]);

export function problemOf(error: CombinedError | undefined | null): Problem | null {
  if (!error) return null;
  const first = error.graphQLErrors[0];
  if (!first) return { key: "error.network", extensions: {} };
  const ext = (first.extensions ?? {}) as Record<string, unknown>;
  const code = typeof ext.code === "string" ? ext.code : undefined;
  const reason = typeof ext.reason === "string" ? ext.reason : undefined;
  const field = typeof ext.field === "string" ? ext.field : undefined;
  let key: MessageKey = "error.other";
  if (reason && REASONS.has(reason)) key = `error.${reason}` as MessageKey;
  else if (code && CODES.has(code)) key = `error.${code}` as MessageKey;
  // Input problems carry the server's own sentence, which names the value at fault.
  const detail = code === "BAD_USER_INPUT" || key === "error.other" ? first.message : undefined;
  return { key, field, detail, code, extensions: ext };
}
