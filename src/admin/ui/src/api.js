// The Management API with the administrator's Bearer token. Errors come back
// as ApiError with Auth0's message, ready to show.
import { session } from './auth.js';

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

let onUnauthorized = () => {};
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }

export async function api(method, path, body) {
  const s = session();
  if (!s) {
    onUnauthorized();
    throw new ApiError(401, 'Your session has ended. Please sign in again.');
  }
  const headers = { Authorization: `Bearer ${s.access_token}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v2${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'omit',
    });
  } catch {
    throw new ApiError(0, 'Gatehouse could not be reached. Check that the server is running and try again.');
  }
  if (res.status === 204) return null;
  const json = await res.json().catch(() => null);
  if (res.status === 401) {
    onUnauthorized();
    throw new ApiError(401, 'Your session has ended or your administrator access was removed. Please sign in again.');
  }
  if (!res.ok) {
    throw new ApiError(res.status, (json && (json.message || json.error_description)) || `The request failed (${res.status}).`,
      json && json.errorCode);
  }
  return json;
}

export const enc = encodeURIComponent;
