// The bearer token lives in this tab's sessionStorage: closing the tab signs out, and another
// tab (or browser context) can be signed in as someone else.
export const TOKEN_KEY = "hanaro.token";

export function loadToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function saveToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}
