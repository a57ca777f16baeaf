// The JSON API client and the session. Every URL is relative (no leading slash), so the
// pages work under an API Gateway stage prefix: /v1/agent fetches /v1/api/me.

const TOKEN_KEY = "hotline.token";
const USER_KEY = "hotline.user";

// Hotline's errors are {"error", "message", "path"?}; anything else (a gateway's own
// answer, say) is described by its status only, never echoed.
export class ApiError extends Error {
  constructor(status, body, path = "") {
    const ours = Boolean(body && typeof body.error === "string" && body.message);
    super(ours ? body.message : describe(status, path));
    this.status = status;
    this.code = ours ? body.error : "error";
    this.path = (ours && body.path) || null;
  }
}

function describe(status, path) {
  const what = path ? ` for ${path.split("?")[0]}` : "";
  if (status === 0) return "Hotline can't be reached. Check your connection; we'll keep trying.";
  if (status === 403 || status === 404) return `This part of Hotline isn't available on the server (${status}${what}).`;
  return `Hotline's server answered ${status}${what}. Please try again.`;
}

export function session() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  let user = null;
  try {
    user = JSON.parse(sessionStorage.getItem(USER_KEY) || "null");
  } catch (_ignored) {
    user = null;
  }
  return { token, user };
}

export function saveSession(token, user) {
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(USER_KEY, JSON.stringify(user || null));
}

export function clearSession() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(USER_KEY);
}

export function homeFor(role) {
  if (role === "agent") return "agent";
  if (role === "supervisor") return "supervisor";
  if (role === "owner" || role === "admin") return "admin";
  if (role === "operator") return "operator";
  return "login";
}

export function toLogin(reason) {
  clearSession();
  const query = reason ? `?reason=${encodeURIComponent(reason)}` : "";
  window.location.assign(`login${query}`);
}

// The signed-in user, or a trip to the login page. `roles` limits who may stay.
export function requireSession(roles) {
  const current = session();
  if (!current) {
    toLogin("signin");
    return null;
  }
  const role = current.user && current.user.role;
  if (roles && !roles.includes(role)) {
    window.location.assign(homeFor(role));
    return null;
  }
  return current;
}

// Call the API. Rejects with ApiError; a 401 (expired or missing session) goes to login
// unless `auth: false` (the login and signup forms handle their own 401s).
export async function api(method, path, body, options = {}) {
  if (path.startsWith("/")) throw new Error(`API paths are relative: ${path}`);
  const auth = options.auth !== false;
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const current = session();
  if (auth && current) headers.Authorization = `Bearer ${current.token}`;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch (_networkError) {
    throw new ApiError(0, null, path);
  }
  const text = await response.text();
  let payload = null;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch (_notJson) {
      payload = null;
    }
  }
  if (response.status === 401 && auth) {
    toLogin("expired");
    throw new ApiError(401, payload, path);
  }
  if (!response.ok) throw new ApiError(response.status, payload, path);
  return payload;
}

export function logOut() {
  clearSession();
  window.location.assign("login?reason=signedout");
}
