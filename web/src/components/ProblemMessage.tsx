// An error as a person can act on it: the sentence for its code, and the server's own words
// where they name the input at fault. Announced to screen readers (role=alert).
import type { Problem } from "../errors";
import { useI18n } from "../i18n";

export function ProblemMessage({ problem, id }: { problem: Problem | null; id?: string }) {
  const { t } = useI18n();
  if (!problem) return null;
  return (
    <div className="alert alert-danger" role="alert" id={id}>
      <p>{t(problem.key, problem.vars)}</p>
      {problem.detail && <p className="detail">{t("error.detail", { message: problem.detail })}</p>}
    </div>
  );
}

export function Notice({ children, tone = "info" }: { children: React.ReactNode; tone?: "info" | "success" | "warning" }) {
  return (
    <div className={`alert alert-${tone}`} role="status">
      {children}
    </div>
  );
}
