// Who is signed in: the token, the viewer the API says it is, and the urql client that sends
// the token. A token the API refuses signs out with a message, never continues anonymously.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { Provider, type Client } from "urql";
import { makeClient } from "../client";
import type { ViewerQuery as ViewerResult } from "../gql/graphql";
import { ViewerQuery } from "./queries";
import { loadToken, saveToken } from "./storage";

export type Viewer = ViewerResult["viewer"];
export type SignInResult = { ok: true } | { ok: false; reason: "bad" | "network" };

interface Session {
  token: string | null;
  viewer: Viewer | null;
  /** Set when the API refused the stored token (shown on the sign-in page). */
  expired: boolean;
  signIn: (token: string) => Promise<SignInResult>;
  signOut: () => void;
  has: (...roles: string[]) => boolean;
}

const SessionContext = createContext<Session | null>(null);

async function fetchViewer(client: Client): Promise<Viewer | "bad" | "network"> {
  const result = await client.query(ViewerQuery, {}, { requestPolicy: "network-only" }).toPromise();
  if (result.data) return result.data.viewer;
  const codes = result.error?.graphQLErrors.map((e) => e.extensions?.code) ?? [];
  return codes.includes("UNAUTHENTICATED") ? "bad" : "network";
}

export function SessionProvider({ children }: { children: React.ReactNode }) {
  const [token, setToken] = useState<string | null>(loadToken);
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [expired, setExpired] = useState(false);
  const client = useMemo(() => makeClient(token), [token]);

  useEffect(() => {
    let live = true;
    fetchViewer(client).then((found) => {
      if (!live) return;
      if (found === "bad") {
        saveToken(null);
        setExpired(true);
        setToken(null);
      } else if (found !== "network") {
        setViewer(found);
      }
    });
    return () => {
      live = false;
    };
  }, [client]);

  const signIn = useCallback(async (candidate: string): Promise<SignInResult> => {
    const trimmed = candidate.trim().replace(/^Bearer\s+/i, "");
    const found = await fetchViewer(makeClient(trimmed));
    if (found === "bad" || found === "network") return { ok: false, reason: found };
    saveToken(trimmed);
    setExpired(false);
    setViewer(found);
    setToken(trimmed);
    return { ok: true };
  }, []);

  const signOut = useCallback(() => {
    saveToken(null);
    setViewer(null);
    setToken(null);
  }, []);

  const value = useMemo<Session>(
    () => ({
      token,
      viewer,
      expired,
      signIn,
      signOut,
      has: (...roles) => !!viewer && viewer.roles.some((r) => roles.includes(r)),
    }),
    [token, viewer, expired, signIn, signOut],
  );
  return (
    <SessionContext.Provider value={value}>
      <Provider value={client}>{children}</Provider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
