// Sign-in: in `hanaro demo`, one button per demo staff member (from /demo/staff, which only
// the demo server has); everywhere, a field for a bearer token that an institution's single
// sign-on front door hands over.
import { useEffect, useState, type FormEvent } from "react";
import { Field } from "../components/Field";
import { useI18n } from "../i18n";
import { Link, navigate } from "../router";
import { useSession } from "./session";

interface DemoStaff {
  label: string;
  institutionName: string;
  roles: string[];
  token: string;
}

function homeFor(roles: string[]): string {
  if (roles.includes("CASEWORKER")) return "/search";
  if (roles.includes("REGISTRANT")) return "/workspace";
  return "/search";
}

export function SignIn() {
  const { t, label } = useI18n();
  const { signIn, expired } = useSession();
  const [staff, setStaff] = useState<DemoStaff[]>([]);
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(expired ? t("signin.expired") : null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    fetch("/demo/staff")
      .then((r) => (r.ok ? r.json() : { staff: [] }))
      .then((body: { staff: DemoStaff[] }) => setStaff(body.staff))
      .catch(() => setStaff([]));
  }, []);

  async function use(candidate: string, roles?: string[]) {
    if (!candidate.trim()) {
      setError(t("signin.empty"));
      return;
    }
    setBusy(true);
    const result = await signIn(candidate);
    setBusy(false);
    if (result.ok) navigate(homeFor(roles ?? []));
    else setError(result.reason === "bad" ? t("signin.bad") : t("error.network"));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void use(token);
  }

  return (
    <div className="page narrow">
      <h1>{t("signin.title")}</h1>
      <p className="lead">{t("signin.intro")}</p>
      {staff.length > 0 && (
        <section aria-labelledby="demo-staff">
          <h2 id="demo-staff">{t("signin.demo")}</h2>
          <p>{t("signin.demoIntro")}</p>
          <ul className="staff-list">
            {staff.map((s) => (
              <li key={s.label}>
                <button type="button" className="btn btn-primary staff" disabled={busy} onClick={() => void use(s.token, s.roles)}>
                  <span className="staff-name">{s.institutionName}</span>
                  <span className="staff-roles">{s.roles.map((r) => label("Role", r)).join(", ")}</span>
                  <span className="visually-hidden">{t("signin.as", { label: s.label })}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="token-signin">
        <h2 id="token-signin">{t("signin.tokenTitle")}</h2>
        <form onSubmit={submit} noValidate>
          <Field label={t("signin.token")} hint={t("signin.tokenHint")} error={error}>
            <textarea
              name="token"
              rows={3}
              value={token}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setToken(e.target.value)}
            />
          </Field>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t("signin.submit")}
          </button>
        </form>
      </section>
      <p>
        <Link href="/search">{t("signin.anonymous")}</Link>
      </p>
    </div>
  );
}
