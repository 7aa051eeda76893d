export { HttpSessions } from './http-sessions.js';
export type { HttpSessionsOptions } from './http-sessions.js';
export { RequestSession } from './request-session.js';
export type { HttpRequest, HttpResponse, HeaderWriter } from './http-types.js';
export type { CookieOptions } from './cookie.js';
export type { AdminAuthorizer } from './session-routes.js';
export type { SessionView } from './session-view.js';
export { sessionView } from './session-view.js';
