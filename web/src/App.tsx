// The frame every page shares: skip link, header with who is signed in and for which
// institution, the language switch, the main menu, and the page the path names.
import { useEffect, useRef } from "react";
import { SignIn } from "./auth/SignIn";
import { useSession } from "./auth/session";
import { useI18n } from "./i18n";
import type { MessageKey } from "./i18n/messages";
import { Recipient360, RecipientList } from "./recipients/RecipientPages";
import { ReferralList } from "./referrals/ReferralList";
import { NewResource, ResourceEditor } from "./resources/ResourceEditor";
import { ResourceDetail } from "./resources/ResourceDetail";
import { Workspace } from "./resources/Workspace";
import { Link, match, navigate, useRoute } from "./router";
import { SearchPage } from "./search/SearchPage";

function Page() {
  const { path } = useRoute();
  const { viewer } = useSession();
  const { t } = useI18n();
  let p: Record<string, string> | null;
  if (path === "/" || path === "") {
    // Signed in by this tab's token or by a front door that sets Authorization.
    if (!viewer) return <p className="page">{t("common.loading")}</p>;
    if (viewer.anonymous) return <SignIn />;
    if (viewer && !viewer.roles.includes("CASEWORKER") && viewer.roles.includes("REGISTRANT")) return <Workspace />;
    return <SearchPage />;
  }
  if (path === "/signin") return <SignIn />;
  if (path === "/search") return <SearchPage />;
  if ((p = match("/resources/:id", path))) return <ResourceDetail id={p.id} />;
  if (path === "/referrals/sent") return <ReferralList mode="sent" />;
  if (path === "/referrals/inbox") return <ReferralList mode="inbox" />;
  if (path === "/recipients") return <RecipientList />;
  if ((p = match("/recipients/:id", path))) return <Recipient360 id={p.id} />;
  if (path === "/workspace") return <Workspace />;
  if (path === "/workspace/new") return <NewResource />;
  if ((p = match("/workspace/:id", path))) return <ResourceEditor id={p.id} />;
  return <SearchPage />;
}

const MENU: { href: string; key: MessageKey; roles?: string[] }[] = [
  { href: "/search", key: "nav.search" },
  { href: "/referrals/inbox", key: "nav.inbox", roles: ["CASEWORKER", "ADMIN", "REGISTRANT"] },
  { href: "/referrals/sent", key: "nav.sent", roles: ["CASEWORKER", "ADMIN"] },
  { href: "/recipients", key: "nav.recipients", roles: ["CASEWORKER", "ADMIN"] },
  { href: "/workspace", key: "nav.workspace", roles: ["REGISTRANT", "ADMIN"] },
];

export function App() {
  const { t, label, lang, setLang } = useI18n();
  const { viewer, signOut, has } = useSession();
  const { path } = useRoute();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  // After a page change, move focus to the content so keyboard and screen-reader users
  // start at the new page, not at the end of the menu.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [path]);
  const staff = !!viewer && !viewer.anonymous;
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header className="site-header">
        <div className="header-inner">
          <Link href="/" className="brand">
            <span className="brand-name">{t("app.name")}</span>
            <span className="brand-tagline">{t("app.tagline")}</span>
          </Link>
          <div className="utility">
            <p className="who" data-testid="who">
              {staff
                ? t("who.as", { subject: viewer.subject ?? "", institution: viewer.institution?.name ?? "" })
                : t("who.anonymous")}
              {staff && <span className="roles"> · {viewer.roles.map((r) => label("Role", r)).join(", ")}</span>}
            </p>
            <button type="button" className="btn btn-text" lang={lang === "ko" ? "en" : "ko"} aria-label={t("app.languageLabel")} onClick={() => setLang(lang === "ko" ? "en" : "ko")}>
              {t("app.language")}
            </button>
            {staff ? (
              <button
                type="button"
                className="btn btn-text"
                onClick={() => {
                  signOut();
                  navigate("/signin");
                }}
              >
                {t("nav.signout")}
              </button>
            ) : (
              <Link className="btn btn-text" href="/signin">
                {t("nav.signin")}
              </Link>
            )}
          </div>
        </div>
        <nav aria-label={t("nav.label")} className="main-nav">
          <ul>
            {MENU.filter((m) => !m.roles || (staff && has(...m.roles))).map((m) => (
              <li key={m.href}>
                <Link href={m.href} aria-current={path.startsWith(m.href) ? "page" : undefined}>
                  {t(m.key)}
                </Link>
              </li>
            ))}
            <li>
              <a href="/graphiql">{t("nav.graphiql")}</a>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page />
      </main>
      <footer className="site-footer">
        <p>Hanaro · GraphQL API: /graphql</p>
      </footer>
    </>
  );
}
