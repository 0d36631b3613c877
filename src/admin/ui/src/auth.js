// Sign-in through Gatehouse's own /authorize (authorization code + PKCE, the
// built-in public client "gatehouse-admin") for a Management API token. The
// token lives in sessionStorage of this tab only and is sent as a Bearer
// header: no cookie carries authority to the API, so there is nothing for a
// cross-site request to ride on.
const KEY = 'gatehouse.admin.session';
const PENDING = 'gatehouse.admin.pending';

function b64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(n = 32) {
  const a = new Uint8Array(n);
  crypto.getRandomValues(a);
  return b64url(a);
}

export const origin = () => window.location.origin;
export const redirectUri = () => `${origin()}/admin/`;

export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (s && s.access_token && s.expires_at > Date.now()) return s;
  } catch { /* a broken entry is no session */ }
  return null;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

export async function startSignIn(config, returnTo) {
  if (!window.crypto || !crypto.subtle) {
    throw new Error('This browser context has no Web Crypto: open the dashboard over https (or on 127.0.0.1/localhost).');
  }
  const verifier = random(48);
  const state = random(16);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: returnTo || '#/rules' }));
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: config.client_id,
    redirect_uri: redirectUri(),
    scope: config.scope,
    audience: `${origin()}${config.audience_path}`,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  window.location.assign(`${origin()}/authorize?${q}`);
}

// Finishes a sign-in if the URL carries ?code or ?error. Returns
// { done: true, returnTo } when a session was made, { error } when the server
// refused, or null when there was nothing to finish.
export async function finishSignIn(config) {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  // The code must not stay in the address bar or the history.
  window.history.replaceState(null, '', '/admin/');
  if (params.has('error')) {
    return { error: params.get('error_description') || params.get('error') };
  }
  if (!pending || pending.state !== params.get('state')) {
    return { error: 'The sign-in answer did not match a sign-in started in this tab. Please sign in again.' };
  }
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri(),
    client_id: config.client_id,
    code_verifier: pending.verifier,
  });
  const res = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    credentials: 'omit',
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || !json.access_token) {
    return { error: json.error_description || json.error || `The token request failed (${res.status}).` };
  }
  let who = {};
  try {
    who = JSON.parse(atob(json.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch { /* the name is cosmetic */ }
  sessionStorage.setItem(KEY, JSON.stringify({
    access_token: json.access_token,
    expires_at: Date.now() + (json.expires_in || 3600) * 1000,
    email: who.email || who.sub || '',
  }));
  return { done: true, returnTo: pending.returnTo };
}
